package io.github.unet3p.core.preprocess;

/**
 * Clips values to the HU window [{@code min}, {@code max}] as the seed's {@code np.clip} does,
 * applied after resizing so that cubic overshoot is clipped too.
 */
public final class HuWindow {

	private HuWindow() {}

	/** Clips the first {@code n} values of {@code values} to [{@code min}, {@code max}], in place. */
	public static void clip(final double[] values, final int n, final double min, final double max) {
		if (!(min <= max)) throw new IllegalArgumentException("window minimum " + min + " exceeds maximum " + max);
		for (int p = 0; p < n; p++) {
			final double v = values[p];
			values[p] = v < min ? min : v > max ? max : v;
		}
	}
}
