package io.github.unet3p.core.model;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * How a model's input slices were prepared, stored in its bundle so that segmentation prepares new
 * scans identically: HU window, slice size, orientation, channel scheme and label merge. The
 * orientation, channel and label rules are the seed's (SPEC 2.1) and named so that a future rule
 * can be told apart.
 *
 * @param huMin lower end of the HU window
 * @param huMax upper end of the HU window
 * @param size slice size (square) the model takes
 * @param orientation orientation rule
 * @param channels channel scheme
 * @param labels label rule
 * @param scaling intensity rule
 */
public record PreparationSpec(double huMin, double huMax, int size, String orientation, String channels, String labels, String scaling) {

	/** The seed's orientation rule: {@code np.rot90} over the first two axes. */
	public static final String ORIENTATION_ROT90 = "rot90";
	/** The seed's channel scheme: RGB = slices (k−1, k, k+1), clamped at the ends. */
	public static final String CHANNELS_NEIGHBOURS = "k-1,k,k+1";
	/** The seed's label rule: every non-zero label becomes 1 (tumour merged into liver). */
	public static final String LABELS_NONZERO = "nonzero->1";
	/** The seed's intensity rule: clip to the window, then per-slice min–max to 0…255 (uint8). */
	public static final String SCALING_SLICE_MINMAX = "clip,slice-minmax,uint8";

	/** A preparation spec with the seed's rules and the given window and size. */
	public PreparationSpec(final double huMin, final double huMax, final int size) {
		this(huMin, huMax, size, ORIENTATION_ROT90, CHANNELS_NEIGHBOURS, LABELS_NONZERO, SCALING_SLICE_MINMAX);
	}

	/** A preparation spec as read from a bundle; unknown rules are refused. */
	public PreparationSpec {
		if (!(huMin < huMax)) throw new InvalidInputException("hu_min (" + huMin + ") must be below hu_max (" + huMax + ").");
		if (size < 16) throw new InvalidInputException("size must be at least 16, not " + size + ".");
		require("orientation", orientation, ORIENTATION_ROT90);
		require("channels", channels, CHANNELS_NEIGHBOURS);
		require("labels", labels, LABELS_NONZERO);
		require("scaling", scaling, SCALING_SLICE_MINMAX);
	}

	private static void require(final String what, final String value, final String known) {
		if (!known.equals(value))
			throw new InvalidInputException("Unknown " + what + " rule '" + value + "' (this version knows '" + known + "'); the model needs a newer UNet3+ for Fiji.");
	}

	@Override
	public String toString() {
		return "PreparationSpec[hu " + huMin + ".." + huMax + ", size " + size + ", " + orientation + ", " + channels + ", " + labels + "]";
	}
}
