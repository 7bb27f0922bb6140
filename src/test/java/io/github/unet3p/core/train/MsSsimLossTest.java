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

class MsSsimLossTest {

	/** A smooth random image plus a noisy copy, so every scale's cs is positive. */
	private static double[][][][][] pair(final Random random, final int h, final int w) {
		final double[][][][] a = new double[1][1][h][w];
		final double[][][][] b = new double[1][1][h][w];
		final double fx = 0.05 + 0.1 * random.nextDouble();
		final double fy = 0.05 + 0.1 * random.nextDouble();
		for (int r = 0; r < h; r++)
			for (int c = 0; c < w; c++) {
				final double v = 0.5 + 0.4 * Math.sin(fx * r) * Math.cos(fy * c);
				a[0][0][r][c] = (float) v;
				b[0][0][r][c] = (float) Math.min(1, Math.max(0, v + 0.2 * (random.nextDouble() - 0.5)));
			}
		return new double[][][][][] { a, b };
	}

	@Test
	void smallestFiveScaleImageMatchesPlainJavaReference() {
		// 161 → 81 → 41 → 21 → 11: odd at every step, so the edge-repeating padding is exercised too.
		final double[][][][][] ab = pair(new Random(161), 161, 163);
		final double expected = 1 - SsimReference.msSsim(ab[0][0], ab[1][0]) + 1e-9;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final float loss = new MsSsimLoss().compute(Tensors.of(m, ab[0]), Tensors.of(m, ab[1])).getFloat();
			assertEquals(expected, loss, 1e-5);
			assertTrue(expected > 0.01 && expected < 0.99, "a non-trivial case: " + expected);
		}
	}

	@Test
	void perfectPredictionGivesZero() {
		final double[][][][][] ab = pair(new Random(7), 176, 176);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray t = Tensors.of(m, ab[0]);
			assertEquals(0, new MsSsimLoss().compute(t, t).getFloat(), 1e-6);
		}
	}

	@Test
	void refusesImagesTooSmallForFiveScales() {
		assertEquals(161, MsSsimLoss.minimumSide());
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray t = Tensors.of(m, Tensors.constant(1, 1, 160, 320, 0));
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> new MsSsimLoss().compute(t, t));
			assertTrue(e.getMessage().contains("161×161") && e.getMessage().contains("160×320"), e.getMessage());
		}
	}
}
