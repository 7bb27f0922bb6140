package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

class BatchNormRecalibrationTest {

	private static final int SIZE = 64;

	private static TrainingBatch batch(final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] images = new float[2 * 3 * SIZE * SIZE];
		for (int i = 0; i < images.length; i++)
			images[i] = (float) r.nextDouble();
		return new TrainingBatch(2, SIZE, SIZE, 2, images, new float[2 * 2 * SIZE * SIZE], new float[2], List.of("1_0", "1_1"));
	}

	private static BatchNormRecalibration.Source source(final List<TrainingBatch> batches) {
		final Iterator<TrainingBatch> it = batches.iterator();
		return new BatchNormRecalibration.Source() {
			@Override
			public boolean hasNext() {
				return it.hasNext();
			}

			@Override
			public TrainingBatch next() {
				return it.next();
			}
		};
	}

	private static float[] infer(final UNet3PlusNet net, final ParameterStore store, final NDManager m, final TrainingBatch b, final boolean training) {
		try (NDManager sub = m.newSubManager()) {
			final NDArray x = sub.create(b.images(), new Shape(2, 3, SIZE, SIZE));
			final float[] out = net.forward(store, x, training, false).head().toFloatArray();
			return out;
		}
	}

	private static float[] runningMean(final UNet3PlusNet net) {
		for (final var p : net.block().getParameters())
			if (p.getValue().getType() == Parameter.Type.RUNNING_MEAN) return p.getValue().getArray().toFloatArray();
		throw new AssertionError("no BatchNorm");
	}

	@Test
	void oneBatchMakesInferenceMatchThatBatchsOwnStatistics() throws Exception {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(ModelSpec.builder().optBackbone("unet3plus").optFilters(2).optSize(SIZE).build()).build();
			net.initialize(m, 3);
			final ParameterStore store = new ParameterStore(m, false);
			final TrainingBatch b = batch(1);
			final float[] before = infer(net, store, m, b, false);
			BatchNormRecalibration.run(net, store, m, source(List.of(b)), 1);
			final float[] withOwnStats = infer(net, store, m, b, false);
			TorchEngine.setGradientRecording(false);
			final float[] trainingMode = infer(net, store, m, b, true);
			double before_ = 0, after = 0;
			for (int i = 0; i < before.length; i++) {
				before_ = Math.max(before_, Math.abs(before[i] - trainingMode[i]));
				after = Math.max(after, Math.abs(withOwnStats[i] - trainingMode[i]));
			}
			// Not exact: PyTorch keeps the unbiased variance as the moving one, which matters in the deepest, 4×4 maps.
			assertTrue(after < before_ / 3, "recalibrated " + after + " vs fresh " + before_);
		}
	}

	@Test
	void severalBatchesGiveTheMeanOfTheirStatisticsAndMomentumIsRestored() throws Exception {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(ModelSpec.builder().optBackbone("unet3plus").optFilters(2).optSize(SIZE).build()).build();
			net.initialize(m, 3);
			final ParameterStore store = new ParameterStore(m, false);
			final TrainingBatch a = batch(1), b = batch(2);
			BatchNormRecalibration.run(net, store, m, source(List.of(a)), 1);
			final float[] ma = runningMean(net);
			BatchNormRecalibration.run(net, store, m, source(List.of(b)), 1);
			final float[] mb = runningMean(net);
			BatchNormRecalibration.run(net, store, m, source(List.of(a, b)), 2);
			final float[] both = runningMean(net);
			final float[] mean = new float[ma.length];
			for (int i = 0; i < mean.length; i++)
				mean[i] = (ma[i] + mb[i]) / 2;
			assertArrayEquals(mean, both, 1e-5f);
			// A normal training-mode pass afterwards moves the statistics by 1 % only (momentum 0.99 restored).
			TorchEngine.setGradientRecording(false);
			infer(net, store, m, a, true);
			final float[] after = runningMean(net);
			for (int i = 0; i < after.length; i++)
				assertTrue(Math.abs(after[i] - (0.99f * both[i] + 0.01f * ma[i])) < 1e-5, "momentum restored");
		}
	}
}
