package io.github.unet3p.core.train;

/**
 * A plain-double SSIM / MS-SSIM written from the definitions (Wang et al. 2004, and TensorFlow's
 * documented choices: 11 × 11 Gaussian σ = 1.5, valid filtering, biased covariances, mean over the
 * map and then over channels), used to check the DJL implementation independently.
 */
final class SsimReference {

	private static final double C1 = 0.01 * 0.01;
	private static final double C2 = 0.03 * 0.03;
	private static final int SIZE = 11;

	private SsimReference() {}

	/** The 11 × 11 window, built directly in 2-D and normalised over its 121 weights. */
	static double[][] window() {
		final double[][] w = new double[SIZE][SIZE];
		double total = 0;
		for (int i = 0; i < SIZE; i++)
			for (int j = 0; j < SIZE; j++) {
				final double di = i - 5;
				final double dj = j - 5;
				w[i][j] = Math.exp(-(di * di + dj * dj) / (2 * 1.5 * 1.5));
				total += w[i][j];
			}
		for (int i = 0; i < SIZE; i++)
			for (int j = 0; j < SIZE; j++)
				w[i][j] /= total;
		return w;
	}

	/** {mean SSIM, mean cs} of one channel image pair [h][w]. */
	static double[] ssimAndCs(final double[][] x, final double[][] y) {
		final double[][] w = window();
		final int oh = x.length - SIZE + 1;
		final int ow = x[0].length - SIZE + 1;
		double ssimSum = 0;
		double csSum = 0;
		for (int r = 0; r < oh; r++)
			for (int c = 0; c < ow; c++) {
				double mx = 0;
				double my = 0;
				for (int i = 0; i < SIZE; i++)
					for (int j = 0; j < SIZE; j++) {
						mx += w[i][j] * x[r + i][c + j];
						my += w[i][j] * y[r + i][c + j];
					}
				double vx = 0;
				double vy = 0;
				double cov = 0;
				for (int i = 0; i < SIZE; i++)
					for (int j = 0; j < SIZE; j++) {
						final double dx = x[r + i][c + j] - mx;
						final double dy = y[r + i][c + j] - my;
						vx += w[i][j] * dx * dx;
						vy += w[i][j] * dy * dy;
						cov += w[i][j] * dx * dy;
					}
				final double luminance = (2 * mx * my + C1) / (mx * mx + my * my + C1);
				final double cs = (2 * cov + C2) / (vx + vy + C2);
				ssimSum += luminance * cs;
				csSum += cs;
			}
		return new double[] { ssimSum / (oh * ow), csSum / (oh * ow) };
	}

	/** SSIM of one image [c][h][w]: mean over channels. */
	static double ssim(final double[][][] x, final double[][][] y) {
		double sum = 0;
		for (int ch = 0; ch < x.length; ch++)
			sum += ssimAndCs(x[ch], y[ch])[0];
		return sum / x.length;
	}

	/** MS-SSIM of one image [c][h][w] with TensorFlow's five default weights. */
	static double msSsim(final double[][][] x, final double[][][] y) {
		final double[] powers = { 0.0448, 0.2856, 0.3001, 0.2363, 0.1333 };
		double sum = 0;
		for (int ch = 0; ch < x.length; ch++) {
			double[][] a = x[ch];
			double[][] b = y[ch];
			double product = 1;
			for (int k = 0; k < powers.length; k++) {
				if (k > 0) {
					a = halve(a);
					b = halve(b);
				}
				final double[] sc = ssimAndCs(a, b);
				final double term = k == powers.length - 1 ? sc[0] : sc[1];
				product *= Math.pow(Math.max(term, 0), powers[k]);
			}
			sum += product;
		}
		return sum / x.length;
	}

	/** 2 × 2 mean; an odd side reuses its last row / column (symmetric padding by one). */
	static double[][] halve(final double[][] a) {
		final int h = a.length;
		final int w = a[0].length;
		final int oh = (h + 1) / 2;
		final int ow = (w + 1) / 2;
		final double[][] out = new double[oh][ow];
		for (int r = 0; r < oh; r++)
			for (int c = 0; c < ow; c++) {
				double s = 0;
				for (int i = 0; i < 2; i++)
					for (int j = 0; j < 2; j++)
						s += a[Math.min(2 * r + i, h - 1)][Math.min(2 * c + j, w - 1)];
				out[r][c] = s / 4;
			}
		return out;
	}
}
