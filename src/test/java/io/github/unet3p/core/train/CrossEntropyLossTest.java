package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.TorchEngine;
import org.junit.jupiter.api.Test;

class CrossEntropyLossTest {

	@Test
	void categoricalIsTheMeanNegativeLogOfTheTrueClass() {
		final double[][][][] y = { { { { 0, 1 }, { 1, 0 } }, { { 1, 0 }, { 0, 1 } } } };
		final double[][][][] p = { { { { 0.1, 0.5 }, { 0.2, 0 } }, { { 0.9, 0.5 }, { 0.8, 1 } } } };
		// The last pixel's p = 1 is clipped to 1 − 1e-7: −log of it is 1e-7.
		final double expected = (-Math.log(0.9) - Math.log(0.5) - Math.log(0.2) + 1e-7) / 4;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertEquals(expected, new CrossEntropyLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 1e-6);
		}
	}

	@Test
	void binaryForOneChannelClipsLogOfZero() {
		// Pixels (y, p): (1, 0.8), (0, 0.3), (1, 0) clipped to 1e-7, (0, 0).
		final double[][][][] y = { { { { 1, 0 }, { 1, 0 } } } };
		final double[][][][] p = { { { { 0.8, 0.3 }, { 0, 0 } } } };
		final double expected = (-Math.log(0.8) - Math.log(0.7) - Math.log(1e-7) - Math.log(1 - 1e-7)) / 4;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final float loss = new CrossEntropyLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat();
			assertTrue(Float.isFinite(loss));
			assertEquals(expected, loss, 1e-5);
		}
	}

	@Test
	void allBackgroundSliceAndPerfectPrediction() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray y = Tensors.of(m, Tensors.constant(1, 2, 3, 3, 1, 0));
			assertEquals(0, new CrossEntropyLoss().compute(y, y.duplicate()).getFloat(), 1e-6);
			final NDArray p = Tensors.of(m, Tensors.constant(1, 2, 3, 3, 0.8, 0.2));
			assertEquals(-Math.log(0.8), new CrossEntropyLoss().compute(y, p).getFloat(), 1e-6);
		}
	}
}
