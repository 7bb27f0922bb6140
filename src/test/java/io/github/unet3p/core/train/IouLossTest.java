package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.TorchEngine;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IouLossTest {

	@Test
	void isOneMinusTheBatchMeanOfSoftIou() {
		// Image 0: y = one-hot of labels (1, 0 / 0, 1), p as in the focal test.
		// I = Σ y·p = 0.9 + 0.5 + 0.2 + 1.0 = 2.6; Σy = 4; Σp = 4 (softmax pairs); U = 4 + 4 − 2.6 = 5.4.
		// Image 1: y all class 0, p = 0.5 everywhere: I = 2, U = 4 + 4 − 2 = 6.
		final double[][][][] y = { { { { 0, 1 }, { 1, 0 } }, { { 1, 0 }, { 0, 1 } } },
			{ { { 1, 1 }, { 1, 1 } }, { { 0, 0 }, { 0, 0 } } } };
		final double[][][][] p = { { { { 0.1, 0.5 }, { 0.2, 0 } }, { { 0.9, 0.5 }, { 0.8, 1 } } },
			{ { { 0.5, 0.5 }, { 0.5, 0.5 } }, { { 0.5, 0.5 }, { 0.5, 0.5 } } } };
		final double expected = 1 - ((2.6 + 1e-9) / (5.4 + 1e-9) + (2.0 + 1e-9) / (6.0 + 1e-9)) / 2;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertEquals(expected, new IouLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 1e-6);
		}
	}

	@Test
	void emptySingleChannelSliceFollowsTheRecipesSmoothingOfOneBillionth() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray empty = Tensors.of(m, Tensors.constant(1, 1, 4, 4, 0));
			// Nothing in either map: (0 + s)/(0 + s) = 1, loss 0.
			assertEquals(0, new IouLoss().compute(empty, empty.duplicate()).getFloat(), 1e-6);
			// A faint prediction (Σp = 1.6) against an empty mask: IoU = 1e-9 / 1.6, loss ≈ 1.
			final NDArray faint = Tensors.of(m, Tensors.constant(1, 1, 4, 4, 0.1));
			assertEquals(1, new IouLoss().compute(empty, faint).getFloat(), 1e-6);
			// The unet3p_lits branch's smoothing, still available: 1 − 1/(1.6 + 1).
			assertEquals(1 - 1 / 2.6, new IouLoss(1).compute(empty, faint).getFloat(), 1e-6);
		}
	}

	@Test
	void perfectPredictionGivesZero() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray t = Tensors.of(m, Tensors.randomOneHot(new Random(9), 3, 5, 7));
			assertEquals(0, new IouLoss().compute(t, t.duplicate()).getFloat(), 1e-6);
			final NDArray background = Tensors.of(m, Tensors.constant(2, 2, 5, 5, 1, 0));
			assertEquals(0, new IouLoss().compute(background, background.duplicate()).getFloat(), 1e-6);
		}
	}
}
