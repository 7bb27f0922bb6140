package io.github.unet3p.core.train;

import java.util.List;

/**
 * What a training run achieved: the epochs it ran, the best validation seed Dice and its epoch,
 * why it stopped, and the seed-style timing figures.
 *
 * @param log every epoch's row, including those of earlier (resumed) sessions
 * @param bestEpoch epoch of the best validation Dice (0-based), or -1 if none finished
 * @param bestDice the best validation seed Dice
 * @param stop why training ended: "completed", "early_stopping"
 * @param latencyMs mean time of one training batch in this session, in milliseconds
 * @param throughput training images per second in this session
 * @param loaderWaitFraction share of the batch time spent waiting for the data loader
 */
public record TrainingResult(List<TrainingLog.Row> log, int bestEpoch, double bestDice, String stop, double latencyMs, double throughput,
		double loaderWaitFraction) {}
