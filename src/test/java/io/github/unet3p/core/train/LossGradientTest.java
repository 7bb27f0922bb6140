package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.github.unet3p.core.model.TorchEngine;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every loss back-propagates on the PyTorch engine (with its intermediates already closed), and
 * its gradient with respect to the logits matches central finite differences.
 */
class LossGradientTest {

	@ParameterizedTest(name = "{0}, {1} channel(s)")
	@CsvSource({ "hybrid, 2", "hybrid, 1", "hybrid_msssim, 2", "focal, 2", "focal, 1", "ssim, 2", "ssim, 1", "iou, 2",
		"iou, 1", "dice, 2", "dice, 1", "cross_entropy, 2", "cross_entropy, 1" })
	void gradientIsFiniteNonZeroAndMatchesFiniteDifferences(final String key, final int channels) {
		final LossKind kind = LossKind.fromKey(key);
		final int side = kind == LossKind.HYBRID_MSSSIM ? (int) MsSsimLoss.minimumSide() : 13;
		final Shape shape = new Shape(kind == LossKind.HYBRID_MSSSIM ? 1 : 2, channels, side, side);
		final Random random = new Random(42);
		final double[] logitValues = new double[(int) shape.size()];
		for (int i = 0; i < logitValues.length; i++)
			logitValues[i] = 2 * random.nextGaussian();
		final double[] maskValues = mask(random, shape);
		final SegmentationLoss loss = kind.create();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray mask = m.create(maskValues, shape);
			final NDArray logits = m.create(logitValues, shape);
			logits.setRequiresGradient(true);
			final double[] gradient;
			try (GradientCollector collector = TorchEngine.get().newGradientCollector()) {
				final NDArray value = loss.compute(mask, activate(logits));
				collector.backward(value);
				gradient = logits.getGradient().toDoubleArray();
			}
			double largest = 0;
			for (final double g : gradient) {
				assertTrue(Double.isFinite(g), "finite gradient");
				largest = Math.max(largest, Math.abs(g));
			}
			assertTrue(largest > 1e-9, "some non-zero gradient: " + largest);

			// The same in float32, the training type: still connected to the graph, finite, non-zero.
			final NDArray logits32 = logits.toType(DataType.FLOAT32, true);
			logits32.setRequiresGradient(true);
			try (GradientCollector collector = TorchEngine.get().newGradientCollector()) {
				final NDArray value = loss.compute(mask.toType(DataType.FLOAT32, true), activate(logits32));
				assertEquals(DataType.FLOAT32, value.getDataType());
				collector.backward(value);
				final float[] g32 = logits32.getGradient().toFloatArray();
				float largest32 = 0;
				for (final float g : g32) {
					assertTrue(Float.isFinite(g), "finite float32 gradient");
					largest32 = Math.max(largest32, Math.abs(g));
				}
				assertTrue(largest32 > 1e-9, "some non-zero float32 gradient: " + largest32);
			}

			final double h = 1e-6;
			for (int probe = 0; probe < (kind == LossKind.HYBRID_MSSSIM ? 2 : 4); probe++) {
				final int i = random.nextInt(logitValues.length);
				final double plus = lossAt(m, loss, mask, logitValues, i, h, shape);
				final double minus = lossAt(m, loss, mask, logitValues, i, -h, shape);
				final double numeric = (plus - minus) / (2 * h);
				assertEquals(numeric, gradient[i], 1e-6 + 1e-4 * Math.abs(numeric), "d loss / d logit[" + i + "]");
			}
		}
	}

	private static double[] mask(final Random random, final Shape shape) {
		final int images = (int) shape.get(0);
		final int channels = (int) shape.get(1);
		final int pixels = (int) (shape.get(2) * shape.get(3));
		final double[] v = new double[(int) shape.size()];
		for (int b = 0; b < images; b++)
			for (int i = 0; i < pixels; i++) {
				// A disc-ish blob so SSIM sees structure, labels 0/1.
				final int label = random.nextDouble() < 0.3 ? 1 : 0;
				if (channels == 1) v[b * pixels + i] = label;
				else v[(b * channels + label) * pixels + i] = 1;
			}
		return v;
	}

	private static NDArray activate(final NDArray logits) {
		return logits.getShape().get(1) == 1 ? Activation.sigmoid(logits) : logits.softmax(1);
	}

	private static double lossAt(final NDManager m, final SegmentationLoss loss, final NDArray mask, final double[] logits,
		final int index, final double step, final Shape shape) {
		final double[] moved = logits.clone();
		moved[index] += step;
		try (NDManager scope = m.newSubManager()) {
			return loss.compute(mask, activate(scope.create(moved, shape))).getDouble();
		}
	}
}
