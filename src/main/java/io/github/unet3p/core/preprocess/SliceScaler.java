package io.github.unet3p.core.preprocess;

import java.util.Arrays;

/**
 * Scales one slice linearly to 0…255 with its own minimum and maximum and truncates to uint8, as
 * the seed does: {@code np.uint8((v − min) / (max − min) · 255)}, the division first, the cast
 * toward zero (not rounding).
 *
 * <p>NB: a constant slice becomes all 0. The seed divides by zero there (NaN, which
 * {@code np.uint8} turns into 0 on x86 as well); we do not divide.
 */
public final class SliceScaler {

	private SliceScaler() {}

	/**
	 * Scales the first {@code n} values of {@code values} into {@code out}.
	 *
	 * @param values finite values of one slice
	 * @param n number of values
	 * @param out receives the uint8 values; at least {@code n} long
	 */
	public static void toUint8(final double[] values, final int n, final byte[] out) {
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (int p = 0; p < n; p++) {
			final double v = values[p];
			if (v < min) min = v;
			if (v > max) max = v;
		}
		if (!(max > min)) {
			Arrays.fill(out, 0, n, (byte) 0);
			return;
		}
		final double range = max - min;
		for (int p = 0; p < n; p++)
			out[p] = (byte) (int) ((values[p] - min) / range * 255);
	}
}
