package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.InvalidInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HybridLossTest {

	@Test
	void isFocalPlusSsimPlusIou() {
		final Random random = new Random(3);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray y = Tensors.of(m, Tensors.randomOneHot(random, 2, 16, 16));
			final NDArray p = Tensors.of(m, Tensors.randomTwoClass(random, 2, 16, 16));
			final double sum = new FocalLoss().compute(y, p).getFloat() + new SsimLoss().compute(y, p).getFloat()
				+ new IouLoss().compute(y, p).getFloat();
			assertEquals(sum, new HybridLoss().compute(y, p).getFloat(), 1e-5);
		}
	}

	@Test
	void perfectAllBackgroundSliceCostsNothing() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray y = Tensors.of(m, Tensors.constant(1, 2, 12, 12, 1, 0));
			assertEquals(0, new HybridLoss().compute(y, y.duplicate()).getFloat(), 1e-6);
		}
	}

	@Test
	void multiScaleOptionUsesMsSsimAndItsSizeLimit() {
		final HybridLoss loss = new HybridLoss(true);
		assertTrue(loss.isMultiScale());
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray small = Tensors.of(m, Tensors.constant(1, 2, 64, 64, 1, 0));
			assertThrows(InvalidInputException.class, () -> loss.compute(small, small));
			final Random random = new Random(4);
			final NDArray y = Tensors.of(m, Tensors.randomOneHot(random, 1, 161, 161));
			final NDArray p = Tensors.of(m, Tensors.randomTwoClass(random, 1, 161, 161));
			final double sum = new FocalLoss().compute(y, p).getFloat() + new MsSsimLoss().compute(y, p).getFloat()
				+ new IouLoss().compute(y, p).getFloat();
			assertEquals(sum, loss.compute(y, p).getFloat(), 1e-5);
		}
	}
}
