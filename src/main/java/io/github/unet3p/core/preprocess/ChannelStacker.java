package io.github.unet3p.core.preprocess;

/**
 * Builds the seed's 3-channel input of slice k: R = slice k−1, G = slice k, B = slice k+1, with
 * neighbour indices clamped to [0, K−1] (the first and last slices repeat themselves).
 */
public final class ChannelStacker {

	private ChannelStacker() {}

	/** The slice that feeds channel {@code channel} (0 = R, 1 = G, 2 = B) of slice {@code k} of {@code count}. */
	public static int neighbour(final int k, final int channel, final int count) {
		if (k < 0 || k >= count) throw new IndexOutOfBoundsException("slice " + k + " of " + count);
		if (channel < 0 || channel > 2) throw new IndexOutOfBoundsException("channel " + channel);
		return Math.min(Math.max(k - 1 + channel, 0), count - 1);
	}

	/**
	 * Interleaves three equally long planes into RGB samples.
	 *
	 * @return {@code 3·n} bytes: R, G, B of pixel 0, then of pixel 1, …
	 */
	public static byte[] interleave(final byte[] red, final byte[] green, final byte[] blue) {
		final int n = green.length;
		if (red.length != n || blue.length != n) throw new IllegalArgumentException("channel planes differ in length");
		final byte[] rgb = new byte[3 * n];
		for (int p = 0, q = 0; p < n; p++, q += 3) {
			rgb[q] = red[p];
			rgb[q + 1] = green[p];
			rgb[q + 2] = blue[p];
		}
		return rgb;
	}
}
