package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.unet3p.core.model.TorchEngine;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeepSupervisionLossTest {

	@Test
	void sumsTheLossOfEveryOutputWithEqualWeight() {
		final Random random = new Random(8);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray mask = Tensors.of(m, Tensors.randomOneHot(random, 2, 12, 12));
			final NDList outputs = new NDList();
			double expected = 0;
			for (int i = 0; i < 5; i++) {
				final NDArray out = Tensors.of(m, Tensors.randomTwoClass(random, 2, 12, 12));
				outputs.add(out);
				expected += new HybridLoss().compute(mask, out).getFloat();
			}
			final DeepSupervisionLoss loss = new DeepSupervisionLoss(new HybridLoss(), 5, false);
			assertEquals(expected, loss.evaluate(new NDList(mask), outputs).getFloat(), 1e-4);
		}
	}

	@Test
	void addsTheCgmCrossEntropyAgainstForegroundPresence() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			// Two 1-channel masks: the first empty, the second with one foreground pixel.
			final float[] maskValues = new float[2 * 12 * 12];
			maskValues[12 * 12 + 30] = 1;
			final NDArray mask = m.create(maskValues, new Shape(2, 1, 12, 12));
			final Random random = new Random(2);
			final NDArray d1 = Tensors.of(m, Tensors.uniform(random, 2, 1, 12, 12));
			final NDArray d2 = Tensors.of(m, Tensors.uniform(random, 2, 1, 12, 12));
			final NDArray cgm = m.create(new float[] { 0.7f, 0.4f, 0.2f, 0.9f }, new Shape(2, 2));
			final double segmentation = new IouLoss().compute(mask, d1).getFloat() + new IouLoss().compute(mask, d2).getFloat();
			// Targets [1, 0] and [0, 1].
			final double bce = (-Math.log(0.7) - Math.log(0.6) - Math.log(0.8) - Math.log(0.9)) / 4;
			final DeepSupervisionLoss loss = new DeepSupervisionLoss(new IouLoss(), 2, true);
			assertEquals(segmentation + bce, loss.evaluate(new NDList(mask), new NDList(d1, d2, cgm)).getFloat(), 1e-5);
			assertThrows(IllegalArgumentException.class, () -> loss.evaluate(new NDList(mask), new NDList(d1, d2)));
		}
	}

	@Test
	void leavesOnlyTheResultInTheCallersManager() {
		final Random random = new Random(1);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray mask = Tensors.of(m, Tensors.randomOneHot(random, 1, 12, 12));
			final NDList outputs = new NDList();
			for (int i = 0; i < 5; i++)
				outputs.add(Tensors.of(m, Tensors.randomTwoClass(random, 1, 12, 12)));
			final int before = m.getManagedArrays().size();
			final NDArray value = new DeepSupervisionLoss(new HybridLoss(), 5, false).evaluate(new NDList(mask), outputs);
			assertEquals(before + 1, m.getManagedArrays().size());
			assertEquals(m, value.getManager());
			// The inputs are still usable.
			assertEquals(144, mask.sum().getFloat(), 0);
		}
	}
}
