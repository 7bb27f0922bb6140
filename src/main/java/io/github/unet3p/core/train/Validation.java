package io.github.unet3p.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.EngineArrays;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;

/** The validation pass after every epoch: each batch's arrays in a sub-manager that closes with it. */
final class Validation {

	private Validation() {}

	/** Validation loss (all outputs, inference mode, L2 included) and mean seed Dice of d1, over {@code val} in order. */
	static double[] run(final UNet3PlusNet net, final ParameterStore store, final DeepSupervisionLoss loss, final NDManager root, final SliceDataset val,
			final int classes, final TrainSettings settings, final int epoch, final ProgressListener progress, final Cancellation cancel)
			throws InterruptedException {
		final int[] order = new int[val.size()];
		for (int i = 0; i < order.length; i++)
			order[i] = i;
		double lossSum = 0;
		final SeedDice.Mean dice = new SeedDice.Mean();
		try (BatchLoader loader = new BatchLoader(val, order, settings.batch(), classes, Augmentation.NONE, settings.seed(), epoch, settings.workers(), 3)) {
			for (int b = 0; loader.hasNext(); b++) {
				cancel.check("Training");
				final TrainingBatch batch = loader.next();
				try (NDManager sub = root.newSubManager()) {
					final NDArray x = EngineArrays.create(sub, batch.images(), new Shape(batch.size(), 3, batch.height(), batch.width()));
					final NDArray y = EngineArrays.create(sub, batch.targets(), new Shape(batch.size(), batch.classes(), batch.height(), batch.width()));
					final NDList out = net.forward(store, x, false, true);
					out.attach(sub);
					final NDArray total = loss.evaluate(new NDList(y), out).add(net.l2Penalty(sub, true));
					total.attach(sub);
					lossSum += total.getFloat() * batch.size();
					dice.addAll(SeedDice.counts(y, out.head()));
				}
				progress.progress("Validation", b + 1, loader.batches());
			}
		}
		return new double[] { lossSum / val.size(), dice.value() };
	}
}
