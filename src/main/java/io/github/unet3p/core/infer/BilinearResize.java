package io.github.unet3p.core.infer;

/**
 * Resizes a row-major float image as OpenCV's {@code cv::resize(…, INTER_LINEAR)} does for
 * {@code CV_32F} data in its generic C++ path: half-pixel centres, replicated border, no
 * anti-aliasing, float arithmetic.
 *
 * <p>What OpenCV computes, and this class reproduces:
 * <ul>
 * <li>per axis, {@code scale = 1 / (out / in)} in double; output index d samples source position
 * {@code f = (float) ((d + 0.5)·scale − 0.5)}, {@code s = floor(f)}, {@code t = f − s};
 * the two taps are s and s + 1 with weights {@code 1 − t} and {@code t} (float);</li>
 * <li>horizontally, a position left of the first or right of the last pixel centre takes that
 * pixel alone ({@code t = 0}, s clamped);</li>
 * <li>vertically, the weights are kept and the two source rows are clamped to [0, in − 1]
 * (so the border row is blended with itself);</li>
 * <li>first every source row is resized horizontally, {@code h = s[x0]·(1 − t) + s[x1]·t}, then each
 * output row is {@code h[y0]·(1 − u) + h[y1]·u}, all in float.</li>
 * </ul>
 *
 * <p>NB: for an exact 2× reduction OpenCV switches INTER_LINEAR to INTER_AREA (the mean of 2×2
 * pixels). That is the same value as this bilinear sample at the pixel-pair centre; the two may
 * differ in the last bit only. Immutable and thread-safe; build one per size pair and reuse it.
 */
public final class BilinearResize {

	private final int srcWidth, srcHeight, dstWidth, dstHeight;
	private final int[] x0, x1, y0, y1;
	private final float[] xt, yt;

	private BilinearResize(final int srcWidth, final int srcHeight, final int dstWidth, final int dstHeight) {
		this.srcWidth = srcWidth;
		this.srcHeight = srcHeight;
		this.dstWidth = dstWidth;
		this.dstHeight = dstHeight;
		x0 = new int[dstWidth];
		x1 = new int[dstWidth];
		xt = new float[dstWidth];
		y0 = new int[dstHeight];
		y1 = new int[dstHeight];
		yt = new float[dstHeight];
		final double scaleX = 1.0 / ((double) dstWidth / srcWidth);
		for (int d = 0; d < dstWidth; d++) {
			final float f = (float) ((d + 0.5) * scaleX - 0.5);
			int s = (int) Math.floor(f);
			float t = f - s;
			if (s < 0) {
				s = 0;
				t = 0;
			}
			if (s >= srcWidth - 1) {
				s = srcWidth - 1;
				t = 0;
			}
			x0[d] = s;
			x1[d] = Math.min(s + 1, srcWidth - 1);
			xt[d] = t;
		}
		final double scaleY = 1.0 / ((double) dstHeight / srcHeight);
		for (int d = 0; d < dstHeight; d++) {
			final float f = (float) ((d + 0.5) * scaleY - 0.5);
			final int s = (int) Math.floor(f);
			y0[d] = clamp(s, srcHeight);
			y1[d] = clamp(s + 1, srcHeight);
			yt[d] = f - s;
		}
	}

	private static int clamp(final int v, final int n) {
		return Math.min(Math.max(v, 0), n - 1);
	}

	/** A resizer from {@code srcWidth × srcHeight} to {@code dstWidth × dstHeight} (all at least 1). */
	public static BilinearResize of(final int srcWidth, final int srcHeight, final int dstWidth, final int dstHeight) {
		if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1)
			throw new IllegalArgumentException("sizes must be positive: " + srcWidth + "×" + srcHeight + " → " + dstWidth + "×" + dstHeight);
		return new BilinearResize(srcWidth, srcHeight, dstWidth, dstHeight);
	}

	/** Resizes a whole row-major image of {@code srcHeight} rows × {@code srcWidth} into a new array. */
	public static float[] resize(final float[] src, final int srcWidth, final int srcHeight, final int dstWidth, final int dstHeight) {
		final float[] dst = new float[dstWidth * dstHeight];
		of(srcWidth, srcHeight, dstWidth, dstHeight).apply(src, 0, dst, 0);
		return dst;
	}

	/** Length of the scratch buffer {@link #apply(float[], int, float[], int, float[])} needs. */
	public int scratchLength() {
		return srcHeight * dstWidth;
	}

	/** Resizes the image at {@code src[srcOffset…]} into {@code dst[dstOffset…]}. */
	public void apply(final float[] src, final int srcOffset, final float[] dst, final int dstOffset) {
		apply(src, srcOffset, dst, dstOffset, new float[scratchLength()]);
	}

	/**
	 * Resizes the image at {@code src[srcOffset…]} into {@code dst[dstOffset…]}.
	 *
	 * @param src row-major source, {@code srcHeight} rows of {@code srcWidth}, from {@code srcOffset}
	 * @param dst row-major target, {@code dstHeight} rows of {@code dstWidth}, from {@code dstOffset}
	 * @param scratch at least {@link #scratchLength()} values; overwritten
	 */
	public void apply(final float[] src, final int srcOffset, final float[] dst, final int dstOffset, final float[] scratch) {
		if (srcOffset < 0 || src.length - srcOffset < srcWidth * srcHeight)
			throw new IllegalArgumentException("source holds too few values for " + srcWidth + "×" + srcHeight + " at " + srcOffset);
		if (dstOffset < 0 || dst.length - dstOffset < dstWidth * dstHeight)
			throw new IllegalArgumentException("target holds too few values for " + dstWidth + "×" + dstHeight + " at " + dstOffset);
		if (scratch.length < scratchLength()) throw new IllegalArgumentException("scratch buffer too small");
		for (int y = 0; y < srcHeight; y++) {
			final int s = srcOffset + y * srcWidth, t = y * dstWidth;
			for (int x = 0; x < dstWidth; x++) {
				final float w = xt[x];
				scratch[t + x] = src[s + x0[x]] * (1f - w) + src[s + x1[x]] * w;
			}
		}
		for (int y = 0; y < dstHeight; y++) {
			final int r0 = y0[y] * dstWidth, r1 = y1[y] * dstWidth, t = dstOffset + y * dstWidth;
			final float w = yt[y], v = 1f - w;
			for (int x = 0; x < dstWidth; x++)
				dst[t + x] = scratch[r0 + x] * v + scratch[r1 + x] * w;
		}
	}
}
