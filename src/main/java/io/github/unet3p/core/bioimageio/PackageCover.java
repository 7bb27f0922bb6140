package io.github.unet3p.core.bioimageio;

import io.github.unet3p.core.volume.SliceImage;

/**
 * The cover image of a package: the test slice (its middle channel, slice k) in grey on the left,
 * the same slice with the outline of the predicted foreground in yellow on the right — 2:1, as
 * bioimage.io recommends — enlarged by whole pixels to at least {@value #MIN_SIDE} pixels high.
 */
public final class PackageCover {

	/** The smallest height of the cover, in pixels. */
	static final int MIN_SIDE = 256;

	private PackageCover() {}

	/**
	 * The cover of {@code slice} (RGB, {@code size × size}) and its predicted {@code labels}
	 * ({@code size × size}, non-zero = foreground).
	 */
	public static SliceImage of(final SliceImage slice, final byte[] labels) {
		final int n = slice.width();
		final int f = Math.max(1, (MIN_SIDE + n - 1) / n), side = n * f, width = 2 * side;
		final byte[] rgb = new byte[width * side * 3];
		for (int y = 0; y < side; y++)
			for (int x = 0; x < width; x++) {
				final int sx = (x % side) / f, sy = y / f;
				final int grey = slice.get(sx, sy, 1);
				final boolean edge = x >= side && outline(labels, n, sx, sy);
				final int o = (y * width + x) * 3;
				rgb[o] = (byte) (edge ? 255 : grey);
				rgb[o + 1] = (byte) (edge ? 220 : grey);
				rgb[o + 2] = (byte) (edge ? 0 : grey);
			}
		return SliceImage.rgb(width, side, rgb);
	}

	/** Whether pixel (x, y) is foreground with a 4-neighbour that is background (or outside). */
	static boolean outline(final byte[] labels, final int n, final int x, final int y) {
		if (labels[y * n + x] == 0) return false;
		return x == 0 || y == 0 || x == n - 1 || y == n - 1 || labels[y * n + x - 1] == 0 || labels[y * n + x + 1] == 0 || labels[(y - 1) * n + x] == 0
				|| labels[(y + 1) * n + x] == 0;
	}

	/** Per-pixel labels of one image's probabilities (classes × n × n): argmax, or {@code > 0.5} for one channel. */
	public static byte[] labels(final float[] probabilities, final int classes, final int n) {
		final byte[] out = new byte[n * n];
		for (int p = 0; p < n * n; p++) {
			if (classes == 1) {
				out[p] = probabilities[p] > 0.5f ? (byte) 1 : 0;
				continue;
			}
			int best = 0;
			for (int c = 1; c < classes; c++)
				if (probabilities[c * n * n + p] > probabilities[best * n * n + p]) best = c;
			out[p] = (byte) best;
		}
		return out;
	}
}
