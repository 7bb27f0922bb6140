package io.github.unet3p.core.train;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.model.EngineArrays;

/**
 * Re-estimates the BatchNorm moving statistics ("precise BN") as the plain mean of the statistics
 * of a number of training batches, with the weights fixed. An option, off by default (the seed
 * keeps Keras' moving averages).
 *
 * <p>NB: with Keras' momentum 0.99 a moving average needs a few hundred updates to follow the
 * weights; a small dataset gives only tens per epoch, so validation (and the saved model) use
 * statistics that lag the weights, and validation Dice can read far below what the network
 * does with its own batch statistics. Recalibrating replaces the lagging averages by the mean of
 * {@code batches} batches: pass i uses momentum {@code 1 − 1/i}, so the moving value after pass i
 * is the mean of passes 1…i.
 */
final class BatchNormRecalibration {

	private BatchNormRecalibration() {}

	/**
	 * Runs the forward passes and leaves the averaged statistics in the network.
	 *
	 * @param source yields the training batches to average over (without augmentation)
	 * @param batches how many batches to use at most
	 */
	static void run(final UNet3PlusNet net, final ParameterStore store, final NDManager root, final Source source, final int batches)
			throws InterruptedException {
		final List<BatchNorm> norms = new ArrayList<>();
		collect(net.block(), norms);
		final float[] saved = new float[norms.size()];
		for (int n = 0; n < norms.size(); n++)
			saved[n] = momentum(norms.get(n));
		final boolean recording = TorchEngine.setGradientRecording(false);
		try {
			for (int i = 1; i <= batches && source.hasNext(); i++) {
				for (final BatchNorm bn : norms)
					setMomentum(bn, 1f - 1f / i);
				final TrainingBatch batch = source.next();
				try (NDManager sub = root.newSubManager()) {
					final NDArray x = EngineArrays.create(sub, batch.images(), new Shape(batch.size(), 3, batch.height(), batch.width()));
					net.forward(store, x, true, false).attach(sub);
				}
			}
		}
		finally {
			for (int n = 0; n < norms.size(); n++)
				setMomentum(norms.get(n), saved[n]);
			TorchEngine.setGradientRecording(recording);
		}
	}

	/** The batches to average over ({@link BatchLoader} is one). */
	interface Source {

		/** Whether another batch remains. */
		boolean hasNext();

		/** The next batch. */
		TrainingBatch next() throws InterruptedException;
	}

	private static void collect(final Block block, final List<BatchNorm> out) {
		if (block instanceof BatchNorm) out.add((BatchNorm) block);
		for (final Block child : block.getChildren().values())
			collect(child, out);
	}

	private static final Field MOMENTUM;
	static {
		try {
			MOMENTUM = BatchNorm.class.getDeclaredField("momentum");
			MOMENTUM.setAccessible(true);
		}
		catch (final ReflectiveOperationException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	private static float momentum(final BatchNorm bn) {
		try {
			return MOMENTUM.getFloat(bn);
		}
		catch (final IllegalAccessException e) {
			throw new IllegalStateException(e);
		}
	}

	private static void setMomentum(final BatchNorm bn, final float value) {
		try {
			MOMENTUM.setFloat(bn, value);
		}
		catch (final IllegalAccessException e) {
			throw new IllegalStateException(e);
		}
	}
}
