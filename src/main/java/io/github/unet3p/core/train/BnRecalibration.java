package io.github.unet3p.core.train;

import java.util.Locale;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The {@code bn_recalibrate} key: {@value #AUTO} (the default), {@code 0} (off, the reference
 * recipe) or a number of training batches; and what {@value #AUTO} decides for a run.
 *
 * <p>NB: how {@value #AUTO} decides. Keras' BatchNormalization (the recipe's) updates its moving
 * statistics once per training batch with momentum {@value #KERAS_MOMENTUM}: after {@code n}
 * updates the statistics an epoch started from still weigh {@code 0.99^n} in them. They count as
 * settled when that weight is below {@value #SETTLED_WEIGHT} (1 %), i.e. after
 * {@code n ≥ ln(0.01) / ln(0.99) = 458.2}, so {@value #SETTLE_BATCHES} batches. An epoch with fewer
 * batches than that (a few scans: 120 slices at batch 4 are 30 batches, where 0.99^30 = 0.74)
 * validates and saves statistics that lag the weights, and validation Dice can read far below what
 * the network computes; {@value #AUTO} then recalibrates from {@value #AUTO_BATCHES} batches (at
 * most one pass over the training slices) after every epoch. An epoch of at least
 * {@value #SETTLE_BATCHES} batches (LiTS: ~58,000 slices at batch 16 are ~3,600) is left alone,
 * so training there is bit-identical to {@code bn_recalibrate=0}.
 */
public final class BnRecalibration {

	/** The value that lets the run decide: {@value}. */
	public static final String AUTO = "auto";
	/** The default of {@code bn_recalibrate}. */
	public static final String DEFAULT = AUTO;
	/** The internal value of {@value #AUTO} in {@link TrainSettings#bnRecalibrate()}. */
	public static final int AUTO_VALUE = -1;
	/** Keras' BatchNormalization momentum (the recipe keeps the default). */
	public static final double KERAS_MOMENTUM = 0.99;
	/** The weight below which the statistics an epoch started from count as forgotten. */
	public static final double SETTLED_WEIGHT = 0.01;
	/** Batches per epoch from which the moving statistics settle: ⌈ln 0.01 / ln 0.99⌉ = {@value}. */
	public static final int SETTLE_BATCHES = 459;
	/** Batches {@value #AUTO} recalibrates from when it turns recalibration on (issue 22 measured it). */
	public static final int AUTO_BATCHES = 50;
	/** The largest number of batches accepted. */
	public static final int MAX_BATCHES = 100_000;

	private BnRecalibration() {}

	/**
	 * The setting for a key value: {@link #AUTO_VALUE} for {@value #AUTO} (and for {@code null} or
	 * empty), else the number of batches.
	 *
	 * @throws InvalidInputException naming {@code bn_recalibrate} for anything else
	 */
	public static int parse(final String value) {
		if (value == null || value.isBlank() || value.trim().equalsIgnoreCase(AUTO)) return AUTO_VALUE;
		try {
			final int batches = Integer.parseInt(value.trim());
			if (batches >= 0) return check(batches);
		}
		catch (final NumberFormatException e) {
			// NB: not a whole number; refused below with the negative ones
		}
		throw new InvalidInputException(TrainKeys.BN_RECALIBRATE + " must be 'auto', 0 (off) or a number of batches up to " + MAX_BATCHES + ", not '" + value
				+ "'.");
	}

	/**
	 * {@code setting} when it is {@link #AUTO_VALUE} or 0…{@value #MAX_BATCHES}.
	 *
	 * @throws InvalidInputException naming {@code bn_recalibrate} otherwise
	 */
	static int check(final int setting) {
		if (setting != AUTO_VALUE && (setting < 0 || setting > MAX_BATCHES))
			throw new InvalidInputException(TrainKeys.BN_RECALIBRATE + " must be 'auto', 0 (off) or a number of batches up to " + MAX_BATCHES + ", not "
					+ setting + ".");
		return setting;
	}

	/**
	 * The batches to recalibrate from after every epoch (0 = off) for {@code setting} and an epoch
	 * of {@code batchesPerEpoch} training batches: a number as given; {@value #AUTO}:
	 * {@value #AUTO_BATCHES} below {@value #SETTLE_BATCHES} batches per epoch, else 0.
	 */
	public static int batches(final int setting, final int batchesPerEpoch) {
		if (setting != AUTO_VALUE) return setting;
		return batchesPerEpoch < SETTLE_BATCHES ? AUTO_BATCHES : 0;
	}

	/** Training batches per epoch: {@code slices} in batches of {@code batch}, the last one partial. */
	public static int batchesPerEpoch(final int slices, final int batch) {
		return (slices + batch - 1) / batch;
	}

	/** What {@value #AUTO} decided, for the run's log; {@code null} when the setting was a number. */
	static String describe(final int setting, final int batchesPerEpoch) {
		if (setting != AUTO_VALUE) return null;
		final double weight = Math.pow(KERAS_MOMENTUM, batchesPerEpoch);
		return batches(setting, batchesPerEpoch) > 0
				? String.format(Locale.ROOT,
						"bn_recalibrate=auto: %d batches per epoch leave %.0f %% of the epoch's starting BatchNorm statistics in their moving averages "
								+ "(settled from %d batches); recalibrating from up to %d training batches after every epoch.",
						batchesPerEpoch, 100 * weight, SETTLE_BATCHES, AUTO_BATCHES)
				: String.format(Locale.ROOT, "bn_recalibrate=auto: %d batches per epoch settle BatchNorm's moving averages (from %d); no recalibration.",
						batchesPerEpoch, SETTLE_BATCHES);
	}
}
