package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.unet3p.core.model.EngineArrays;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.model.Variant;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Autograd keeps tensors of the forward pass for the backward pass. None of them may live in
 * memory the JVM owns: a garbage collection between forward and backward (with the freed memory
 * taken over by new direct buffers, {@link MemoryChurn}) must leave every gradient bit for bit as
 * it is without one.
 */
class GarbageCollectionGradientTest {

	@ParameterizedTest(name = "{0}, {1} channel(s)")
	@CsvSource({ "hybrid, 2", "hybrid, 1", "hybrid_msssim, 2", "focal, 2", "focal, 1", "ssim, 2", "ssim, 1", "iou, 2", "iou, 1",
		"dice, 2", "dice, 1", "cross_entropy, 2", "cross_entropy, 1" })
	void lossGradientIsUntouchedByACollectionBeforeBackward(final String key, final int channels) throws InterruptedException {
		final LossKind kind = LossKind.fromKey(key);
		final byte[] quiet = lossGradient(kind, channels, false);
		final byte[] disturbed = lossGradient(kind, channels, true);
		assertNonZero(quiet);
		assertArrayEquals(quiet, disturbed, key + ": gradient after a collection between forward and backward");
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(Variant.class)
	void trainingStepGradientIsUntouchedByACollectionBeforeBackward(final Variant variant) throws InterruptedException {
		final byte[] quiet = stepGradients(variant, false);
		final byte[] disturbed = stepGradients(variant, true);
		assertNonZero(quiet);
		assertArrayEquals(quiet, disturbed, variant.key() + ": parameter gradients after a collection between forward and backward");
	}

	private static byte[] lossGradient(final LossKind kind, final int channels, final boolean churn) throws InterruptedException {
		final int side = kind == LossKind.HYBRID_MSSSIM ? (int) MsSsimLoss.minimumSide() : 16;
		final Shape shape = new Shape(2, channels, side, side);
		final Random random = new Random(11);
		final float[] logits = new float[(int) shape.size()];
		for (int i = 0; i < logits.length; i++)
			logits[i] = (float) (2 * random.nextGaussian());
		final float[] mask = new float[logits.length];
		final int pixels = side * side;
		for (int b = 0; b < 2; b++)
			for (int i = 0; i < pixels; i++) {
				final int label = random.nextDouble() < 0.3 ? 1 : 0;
				if (channels == 1) mask[b * pixels + i] = label;
				else mask[(b * channels + label) * pixels + i] = 1;
			}
		final boolean previous = TorchEngine.setGradientRecording(false);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray truth = EngineArrays.create(m, mask, shape);
			final NDArray x = EngineArrays.create(m, logits, shape);
			x.setRequiresGradient(true);
			try (GradientCollector collector = TorchEngine.get().newGradientCollector()) {
				final NDArray p = channels == 1 ? Activation.sigmoid(x) : x.softmax(1);
				final NDArray value = kind.create().compute(truth, p);
				if (churn) try (MemoryChurn c = MemoryChurn.now()) {
					collector.backward(value);
				}
				else collector.backward(value);
			}
			return x.getGradient().toByteArray();
		}
		finally {
			TorchEngine.setGradientRecording(previous);
		}
	}

	/** The gradients of every trainable parameter after one training step's forward, loss (+ L2) and backward. */
	private static byte[] stepGradients(final Variant variant, final boolean churn) throws InterruptedException {
		final ModelSpec spec = ModelSpec.builder().optVariant(variant).optBackbone("unet3plus").optFilters(2).optSize(32)
			.optClasses(variant.hasClassificationGuide() ? 1 : 2).build();
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		final Random random = new Random(5);
		final int classes = spec.classes();
		final Shape xs = new Shape(2, 3, 32, 32), ys = new Shape(2, classes, 32, 32);
		final float[] images = new float[(int) xs.size()];
		for (int i = 0; i < images.length; i++)
			images[i] = random.nextFloat();
		final float[] masks = new float[(int) ys.size()];
		for (int b = 0; b < 2; b++)
			for (int i = 0; i < 32 * 32; i++)
				if (classes == 1) masks[b * 32 * 32 + i] = i % 32 > 10 && i / 32 > 12 + 9 * b ? 1 : 0;
				else masks[(b * 2 + (i % 32 > 10 && i / 32 > 12 ? 1 : 0)) * 32 * 32 + i] = 1;
		final boolean previous = TorchEngine.setGradientRecording(false);
		try (NDManager root = TorchEngine.get().newBaseManager()) {
			net.initialize(root, 3);
			for (final Pair<String, Parameter> p : net.block().getParameters())
				if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
			final DeepSupervisionLoss loss = new DeepSupervisionLoss(LossKind.DEFAULT.create(), variant.hasDeepSupervision() ? 5 : 1,
				variant.hasClassificationGuide());
			final ParameterStore store = new ParameterStore(root, false);
			TorchEngine.get().setRandomSeed(7);
			// NB: the trainer's own objective (forward in training mode, loss, L2), as SingleDeviceStep runs it.
			final StepObjective objective = new StepObjective(net, loss);
			final TrainingBatch batch = TrainingBatch.of(2, 32, 32, classes, images, masks, new float[2]);
			try (NDManager sub = root.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
				final NDArray total = objective.evaluate(store, batch, 0, 2, 1f, true, sub);
				if (churn) try (MemoryChurn c = MemoryChurn.now()) {
					gc.backward(total);
				}
				else gc.backward(total);
			}
			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			for (final Pair<String, Parameter> p : net.block().getParameters())
				if (p.getValue().requiresGradient()) bytes.writeBytes(p.getValue().getArray().getGradient().toByteArray());
			return bytes.toByteArray();
		}
		finally {
			TorchEngine.setGradientRecording(previous);
		}
	}

	private static void assertNonZero(final byte[] gradient) {
		final ByteBuffer b = ByteBuffer.wrap(gradient).order(java.nio.ByteOrder.nativeOrder());
		double largest = 0;
		while (b.remaining() >= 4)
			largest = Math.max(largest, Math.abs(b.getFloat()));
		assertTrue(largest > 0 && Double.isFinite(largest), "a finite, non-zero gradient: " + largest);
	}
}
