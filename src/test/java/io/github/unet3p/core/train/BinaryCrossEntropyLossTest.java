package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.unet3p.core.model.TorchEngine;
import org.junit.jupiter.api.Test;

class BinaryCrossEntropyLossTest {

	@Test
	void presenceTargetsMarkSlicesWithAnyForegroundPixel() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			// Three 1-channel 2×2 masks: empty, one pixel, full.
			final NDArray mask = m.create(new float[] { 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1 }, new Shape(3, 1, 2, 2));
			assertArrayEquals(new float[] { 1, 0, 0, 1, 0, 1 },
				BinaryCrossEntropyLoss.presenceTargets(mask, 2).toFloatArray());
			assertArrayEquals(new float[] { 0, 1, 1 }, BinaryCrossEntropyLoss.presenceTargets(mask, 1).toFloatArray());
			// One-hot over two classes: only channel 1 counts as foreground.
			final NDArray oneHot = Tensors.of(m, Tensors.constant(1, 2, 2, 2, 1, 0));
			assertArrayEquals(new float[] { 0 }, BinaryCrossEntropyLoss.presenceTargets(oneHot, 1).toFloatArray());
		}
	}

	@Test
	void isTheMeanBinaryCrossEntropyOverAllEntries() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray target = m.create(new float[] { 1, 0, 0, 1 }, new Shape(2, 2));
			final NDArray p = m.create(new float[] { 0.9f, 0.2f, 0.4f, 0.6f }, new Shape(2, 2));
			final double expected = (-Math.log(0.9) - Math.log(0.8) - Math.log(0.6) - Math.log(0.6)) / 4;
			assertEquals(expected, new BinaryCrossEntropyLoss().compute(target, p).getFloat(), 1e-6);
		}
	}
}
