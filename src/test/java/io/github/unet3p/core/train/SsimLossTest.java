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

class SsimLossTest {

	private static final double C1 = 1e-4;
	private static final double C2 = 9e-4;

	@Test
	void singleWindowMatchesTheDefinition() {
		// 1×1×11×11: one window position, so SSIM is one number of the Gaussian-weighted statistics.
		final Random random = new Random(11);
		final double[][][][] y = Tensors.uniform(random, 1, 1, 11, 11);
		final double[][][][] p = Tensors.uniform(random, 1, 1, 11, 11);
		final double[][] w = SsimReference.window();
		double mx = 0;
		double my = 0;
		for (int i = 0; i < 11; i++)
			for (int j = 0; j < 11; j++) {
				mx += w[i][j] * y[0][0][i][j];
				my += w[i][j] * p[0][0][i][j];
			}
		double sxx = 0;
		double syy = 0;
		double sxy = 0;
		for (int i = 0; i < 11; i++)
			for (int j = 0; j < 11; j++) {
				sxx += w[i][j] * (y[0][0][i][j] - mx) * (y[0][0][i][j] - mx);
				syy += w[i][j] * (p[0][0][i][j] - my) * (p[0][0][i][j] - my);
				sxy += w[i][j] * (y[0][0][i][j] - mx) * (p[0][0][i][j] - my);
			}
		final double ssim = (2 * mx * my + C1) * (2 * sxy + C2) / ((mx * mx + my * my + C1) * (sxx + syy + C2));
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertEquals(1 - ssim + 1e-9, new SsimLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 1e-5);
		}
	}

	@Test
	void randomPairMatchesPlainJavaReference() {
		// 16×16, two channels, two images: 6×6 valid windows each.
		final Random random = new Random(16);
		final double[][][][] y = Tensors.randomOneHot(random, 2, 16, 16);
		final double[][][][] p = Tensors.randomTwoClass(random, 2, 16, 16);
		final double expected = (1 - SsimReference.ssim(y[0], p[0]) + 1 - SsimReference.ssim(y[1], p[1])) / 2 + 1e-9;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertEquals(expected, new SsimLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 1e-5);
		}
	}

	@Test
	void allBackgroundSliceAgainstConstantPrediction() {
		// Constant maps: no variance, so cs = c2/c2 = 1 and SSIM is the luminance term alone.
		final double[][][][] y = Tensors.constant(1, 2, 12, 12, 1, 0);
		final double[][][][] p = Tensors.constant(1, 2, 12, 12, 0.7, 0.3);
		final double background = (2 * 0.7 + C1) / (1 + 0.49 + C1);
		final double foreground = C1 / (0.09 + C1);
		final double expected = 1 - (background + foreground) / 2 + 1e-9;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			// Exact in float64; in float32 (like TensorFlow) E[x²] − μ² cancels to ~1e-7, which is
			// not small against c2 = 9e-4, so cs is off by up to ~2e-4.
			assertEquals(expected, new SsimLoss().compute(Tensors.of64(m, y), Tensors.of64(m, p)).getDouble(), 1e-12);
			assertEquals(expected, new SsimLoss().compute(Tensors.of(m, y), Tensors.of(m, p)).getFloat(), 1e-3);
			// And a perfect all-background prediction costs (almost) nothing.
			final NDArray t = Tensors.of(m, y);
			assertEquals(0, new SsimLoss().compute(t, t.duplicate()).getFloat(), 1e-6);
		}
	}

	@Test
	void perfectPredictionGivesTheSeedsSmoothingOnly() {
		final double[][][][] y = Tensors.randomOneHot(new Random(5), 2, 20, 24);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray t = Tensors.of(m, y);
			final float loss = new SsimLoss().compute(t, t).getFloat();
			assertEquals(0, loss, 1e-6);
			assertTrue(loss >= 0);
		}
	}

	@Test
	void refusesImagesSmallerThanTheWindow() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray t = Tensors.of(m, Tensors.constant(1, 1, 10, 40, 0));
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> new SsimLoss().compute(t, t));
			assertTrue(e.getMessage().contains("11×11") && e.getMessage().contains("10×40"), e.getMessage());
		}
	}
}
