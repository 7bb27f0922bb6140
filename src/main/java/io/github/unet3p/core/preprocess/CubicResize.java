package io.github.unet3p.core.preprocess;

/**
 * Resizes a row-major float64 image exactly as OpenCV's {@code cv::resize(…, INTER_CUBIC)} does
 * for {@code CV_64F} data (checked bit for bit against OpenCV 4.6.0, see {@code src/bench/README.md}):
 * Keys' cubic kernel with a = −0.75, half-pixel centres, replicated border, no anti-aliasing.
 *
 * <p>What OpenCV computes, and this class reproduces operation by operation:
 * <ul>
 * <li>per axis, {@code scale = 1 / (out / in)} in double; for output index d the source
 * position is {@code fx = (float) ((d + 0.5)·scale − 0.5)} — rounded to <em>float</em> —,
 * {@code sx = floor(fx)}, {@code t = fx − sx} (float);</li>
 * <li>the four weights are evaluated in float from t (OpenCV's {@code interpolateCubic}), the
 * last one as 1 − w0 − w1 − w2, and stay float even for double images;</li>
 * <li>taps are {@code sx−1 … sx+2}, each clamped to {@code [0, in−1]} (BORDER_REPLICATE);</li>
 * <li>first every source row is resized horizontally,
 * {@code h = s[x0]·w0 + s[x1]·w1 + s[x2]·w2 + s[x3]·w3} summed left to right in double;
 * then each output row combines four such rows the same way with the vertical weights.</li>
 * </ul>
 * Immutable and thread-safe; build one per (source size, target size) and reuse it.
 */
public final class CubicResize {

	private final int srcWidth, srcHeight, dstWidth, dstHeight;
	private final int[] xTaps, yTaps;
	private final double[] xWeights, yWeights;

	private CubicResize(final int srcWidth, final int srcHeight, final int dstWidth, final int dstHeight) {
		this.srcWidth = srcWidth;
		this.srcHeight = srcHeight;
		this.dstWidth = dstWidth;
		this.dstHeight = dstHeight;
		xTaps = new int[4 * dstWidth];
		xWeights = new double[4 * dstWidth];
		yTaps = new int[4 * dstHeight];
		yWeights = new double[4 * dstHeight];
		table(srcWidth, dstWidth, xTaps, xWeights);
		table(srcHeight, dstHeight, yTaps, yWeights);
	}

	/**
	 * A resizer from {@code srcWidth × srcHeight} to {@code dstWidth × dstHeight} (all at least 1).
	 */
	public static CubicResize of(final int srcWidth, final int srcHeight, final int dstWidth, final int dstHeight) {
		if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1)
			throw new IllegalArgumentException("sizes must be positive: " + srcWidth + "×" + srcHeight + " → " + dstWidth + "×" + dstHeight);
		return new CubicResize(srcWidth, srcHeight, dstWidth, dstHeight);
	}

	/**
	 * OpenCV's cubic weights for the fractional offset {@code t} ∈ [0, 1), in float arithmetic.
	 *
	 * @return the weights of the taps at offsets −1, 0, +1, +2
	 */
	public static float[] weights(final float t) {
		final float a = -0.75f;
		final float[] w = new float[4];
		w[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
		w[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
		w[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
		w[3] = 1f - w[0] - w[1] - w[2];
		return w;
	}

	private static void table(final int in, final int out, final int[] taps, final double[] weights) {
		final double scale = 1.0 / ((double) out / in);
		for (int d = 0; d < out; d++) {
			final float f = (float) ((d + 0.5) * scale - 0.5);
			final int s = (int) Math.floor(f);
			final float[] w = weights(f - s);
			for (int k = 0; k < 4; k++) {
				taps[4 * d + k] = Math.min(Math.max(s - 1 + k, 0), in - 1);
				weights[4 * d + k] = w[k];
			}
		}
	}

	/** Length of the scratch buffer {@link #apply(double[], double[], double[])} needs. */
	public int scratchLength() {
		return srcHeight * dstWidth;
	}

	/**
	 * Resizes {@code src} into {@code dst}.
	 *
	 * @param src row-major source, {@code srcHeight} rows of {@code srcWidth}
	 * @param dst row-major target, {@code dstHeight} rows of {@code dstWidth}
	 */
	public void apply(final double[] src, final double[] dst) {
		apply(src, dst, new double[scratchLength()]);
	}

	/**
	 * Resizes {@code src} into {@code dst} using {@code scratch} for the horizontal pass.
	 *
	 * @param src row-major source, {@code srcHeight} rows of {@code srcWidth}
	 * @param dst row-major target, {@code dstHeight} rows of {@code dstWidth}
	 * @param scratch at least {@link #scratchLength()} values; overwritten
	 */
	public void apply(final double[] src, final double[] dst, final double[] scratch) {
		if (src.length < srcWidth * srcHeight) throw new IllegalArgumentException("source holds " + src.length + " values, expected " + srcWidth + "×" + srcHeight);
		if (dst.length < dstWidth * dstHeight) throw new IllegalArgumentException("target holds " + dst.length + " values, expected " + dstWidth + "×" + dstHeight);
		if (scratch.length < scratchLength()) throw new IllegalArgumentException("scratch buffer too small");
		for (int y = 0; y < srcHeight; y++) {
			final int s = y * srcWidth, t = y * dstWidth;
			for (int x = 0, k = 0; x < dstWidth; x++, k += 4)
				scratch[t + x] = src[s + xTaps[k]] * xWeights[k] + src[s + xTaps[k + 1]] * xWeights[k + 1]
						+ src[s + xTaps[k + 2]] * xWeights[k + 2] + src[s + xTaps[k + 3]] * xWeights[k + 3];
		}
		for (int y = 0, k = 0; y < dstHeight; y++, k += 4) {
			final int r0 = yTaps[k] * dstWidth, r1 = yTaps[k + 1] * dstWidth, r2 = yTaps[k + 2] * dstWidth, r3 = yTaps[k + 3] * dstWidth;
			final double b0 = yWeights[k], b1 = yWeights[k + 1], b2 = yWeights[k + 2], b3 = yWeights[k + 3];
			final int t = y * dstWidth;
			for (int x = 0; x < dstWidth; x++)
				dst[t + x] = scratch[r0 + x] * b0 + scratch[r1 + x] * b1 + scratch[r2 + x] * b2 + scratch[r3 + x] * b3;
		}
	}
}
