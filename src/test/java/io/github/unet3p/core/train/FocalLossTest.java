package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.TorchEngine;
import org.junit.jupiter.api.Test;

class FocalLossTest {

	/** One pixel's term: 4·(1 − p)²·(−ln p) for the true class' probability p (ε negligible). */
	private static double term(final double p) {
		return 4 * (1 - p) * (1 - p) * -Math.log(p);
	}

	@Test
	void isTheMeanOverPixelsOfTheTrueClassTerm() {
		// 1×2×2×2: true classes 1, 0 / 0, 1; true-class probabilities 0.9, 0.5 / 0.2, 1.0.
		final double[][][][] y = { { { { 0, 1 }, { 1, 0 } }, { { 1, 0 }, { 0, 1 } } } };
		final double[][][][] p = { { { { 0.1, 0.5 }, { 0.2, 0 } }, { { 0.9, 0.5 }, { 0.8, 1 } } } };
		final double expected = (term(0.9) + term(0.5) + term(0.2) + 0) / 4;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final float loss = new FocalLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat();
			assertEquals(expected, loss, 1e-6);
			assertEquals(0.5 * 0.5 * 4 * Math.log(2) / 4 + (4 * 0.01 * -Math.log(0.9) + 4 * 0.64 * -Math.log(0.2)) / 4, loss,
				1e-6, "hand value: (0.0042 + 0.6931 + 4.1202 + 0) / 4");
		}
	}

	@Test
	void allBackgroundSliceCountsOnlyTheBackgroundClass() {
		// Every pixel is class 0, predicted at 0.8.
		final double[][][][] y = Tensors.constant(2, 2, 3, 3, 1, 0);
		final double[][][][] p = Tensors.constant(2, 2, 3, 3, 0.8, 0.2);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertEquals(term(0.8), new FocalLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 1e-6);
		}
	}

	@Test
	void singleSigmoidChannelIgnoresBackgroundPixels() {
		final double[][][][] y = Tensors.constant(1, 1, 2, 2, 0);
		final double[][][][] p = Tensors.constant(1, 1, 2, 2, 0.7);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertEquals(0, new FocalLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 0);
		}
	}

	@Test
	void perfectPredictionGivesZero() {
		final double[][][][] y = Tensors.randomOneHot(new java.util.Random(3), 2, 4, 4);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray t = Tensors.of(m, y);
			assertEquals(0, new FocalLoss().compute(t, t.duplicate()).getFloat(), 1e-12);
		}
	}
}
