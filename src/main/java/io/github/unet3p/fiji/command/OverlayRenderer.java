package io.github.unet3p.fiji.command;

import ij.process.ColorProcessor;
import io.github.unet3p.core.preprocess.Rot90;
import io.github.unet3p.core.volume.Volume;

/**
 * Draws one axial CT slice as the seed shows it ({@code np.rot90}, HU window) with the outlines
 * of a predicted (red) and a true (green) label mask; where both outlines meet the pixel is yellow.
 */
final class OverlayRenderer {

	/** Default number of slices a command draws. */
	static final int DEFAULT_SLICES = 4;
	/** Default magnification of the drawn slices. */
	static final int DEFAULT_ZOOM = 2;

	private static final int RED = 0xff0000, GREEN = 0x00ff00, YELLOW = 0xffff00;

	private OverlayRenderer() {}

	/**
	 * Renders slice {@code k}.
	 *
	 * @param truth may be null
	 * @param scale integer zoom (nearest neighbour) so small slices stay readable
	 */
	static ColorProcessor render(final Volume ct, final Volume prediction, final Volume truth, final int k, final double huMin, final double huMax,
			final int scale) {
		final int w = ct.size(0), h = ct.size(1);
		final double[] stored = new double[w * h], shown = new double[w * h];
		ct.axialSlice(k, stored);
		Rot90.storedSlice(stored, w, h, shown);
		final boolean[] pred = outline(mask(prediction, k), w, h);
		final boolean[] real = truth == null ? new boolean[w * h] : outline(mask(truth, k), w, h);
		final ColorProcessor cp = new ColorProcessor(w * scale, h * scale);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int p = y * w + x;
				final int rgb;
				if (pred[p] && real[p]) rgb = YELLOW;
				else if (pred[p]) rgb = RED;
				else if (real[p]) rgb = GREEN;
				else {
					final int g = (int) Math.round(255 * Math.min(1, Math.max(0, (shown[p] - huMin) / (huMax - huMin))));
					rgb = g << 16 | g << 8 | g;
				}
				for (int dy = 0; dy < scale; dy++)
					for (int dx = 0; dx < scale; dx++)
						cp.set(x * scale + dx, y * scale + dy, rgb);
			}
		}
		return cp;
	}

	/** The label slice {@code k} rotated like the CT, as foreground (non-zero) flags. */
	private static boolean[] mask(final Volume labels, final int k) {
		final int n = labels.size(0) * labels.size(1);
		final double[] stored = new double[n], shown = new double[n];
		labels.axialSlice(k, stored);
		Rot90.storedSlice(stored, labels.size(0), labels.size(1), shown);
		final boolean[] m = new boolean[shown.length];
		for (int i = 0; i < m.length; i++)
			m[i] = shown[i] != 0;
		return m;
	}

	/** Foreground pixels with a 4-neighbour outside the mask (or on the image border). */
	static boolean[] outline(final boolean[] m, final int w, final int h) {
		final boolean[] o = new boolean[m.length];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final int p = y * w + x;
				if (!m[p]) continue;
				o[p] = x == 0 || y == 0 || x == w - 1 || y == h - 1 || !m[p - 1] || !m[p + 1] || !m[p - w] || !m[p + w];
			}
		return o;
	}
}
