package io.github.unet3p.core.preprocess;

/**
 * Resizes a row-major image exactly as OpenCV's {@code cv::resize(…, INTER_NEAREST)}: per axis,
 * output index d reads source index {@code min(floor(d · (1 / (out / in))), in − 1)}, with the
 * scale computed in double as OpenCV does ({@code 1./inv_scale}, not {@code in / out}).
 * Immutable and thread-safe.
 *
 * <p>NB: this is OpenCV's legacy nearest rule (no half-pixel shift), which the seed uses for
 * masks; it is not {@code INTER_NEAREST_EXACT}.
 */
public final class NearestResize {

	private final int srcWidth, srcHeight, dstWidth, dstHeight;
	private final int[] xs, ys;

	private NearestResize(final int srcWidth, final int srcHeight, final int dstWidth, final int dstHeight) {
		this.srcWidth = srcWidth;
		this.srcHeight = srcHeight;
		this.dstWidth = dstWidth;
		this.dstHeight = dstHeight;
		xs = table(srcWidth, dstWidth);
		ys = table(srcHeight, dstHeight);
	}

	/** A resizer from {@code srcWidth × srcHeight} to {@code dstWidth × dstHeight} (all at least 1). */
	public static NearestResize of(final int srcWidth, final int srcHeight, final int dstWidth, final int dstHeight) {
		if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1)
			throw new IllegalArgumentException("sizes must be positive: " + srcWidth + "×" + srcHeight + " → " + dstWidth + "×" + dstHeight);
		return new NearestResize(srcWidth, srcHeight, dstWidth, dstHeight);
	}

	/** The source index each of the {@code out} target indices reads along an axis of {@code in}. */
	public static int[] table(final int in, final int out) {
		final double inverse = 1.0 / ((double) out / in);
		final int[] t = new int[out];
		for (int d = 0; d < out; d++)
			t[d] = Math.min((int) Math.floor(d * inverse), in - 1);
		return t;
	}

	/**
	 * Resizes {@code src} into {@code dst}.
	 *
	 * @param src row-major source, {@code srcHeight} rows of {@code srcWidth}
	 * @param dst row-major target, {@code dstHeight} rows of {@code dstWidth}
	 */
	public void apply(final double[] src, final double[] dst) {
		if (src.length < srcWidth * srcHeight) throw new IllegalArgumentException("source holds " + src.length + " values, expected " + srcWidth + "×" + srcHeight);
		if (dst.length < dstWidth * dstHeight) throw new IllegalArgumentException("target holds " + dst.length + " values, expected " + dstWidth + "×" + dstHeight);
		for (int y = 0; y < dstHeight; y++) {
			final int s = ys[y] * srcWidth, t = y * dstWidth;
			for (int x = 0; x < dstWidth; x++)
				dst[t + x] = src[s + xs[x]];
		}
	}
}
