package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.TorchEngine;
import org.junit.jupiter.api.Test;

class DiceLossTest {

	@Test
	void isOneMinusTheMeanOverImagesAndClassesOfSoftDice() {
		// Class 0: Σy·p = 0.5 + 0.2 = 0.7 (pixels labelled 0 have p0 0.5, 0.2), Σy = 2, Σp = 0.8.
		// Class 1: Σy·p = 0.9 + 1.0 = 1.9, Σy = 2, Σp = 3.2.
		final double[][][][] y = { { { { 0, 1 }, { 1, 0 } }, { { 1, 0 }, { 0, 1 } } } };
		final double[][][][] p = { { { { 0.1, 0.5 }, { 0.2, 0 } }, { { 0.9, 0.5 }, { 0.8, 1 } } } };
		final double dice0 = (2 * 0.7 + 1) / (2 + 0.8 + 1);
		final double dice1 = (2 * 1.9 + 1) / (2 + 3.2 + 1);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertEquals(1 - (dice0 + dice1) / 2, new DiceLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 1e-6);
		}
	}

	@Test
	void allBackgroundSliceAndPerfectPrediction() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray y = Tensors.of(m, Tensors.constant(1, 2, 3, 3, 1, 0));
			// Perfect: class 0 gives (18 + 1)/(18 + 1) = 1, empty class 1 gives 1/1.
			assertEquals(0, new DiceLoss().compute(y, y.duplicate()).getFloat(), 1e-6);
			final NDArray p = Tensors.of(m, Tensors.constant(1, 2, 3, 3, 0.8, 0.2));
			final double class0 = (2 * 7.2 + 1) / (9 + 7.2 + 1);
			final double class1 = 1 / (1.8 + 1);
			assertEquals(1 - (class0 + class1) / 2, new DiceLoss().compute(y, p).getFloat(), 1e-6);
		}
	}
}
