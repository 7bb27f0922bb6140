package io.github.unet3p.core.preprocess;

/**
 * Merges all labels into one foreground class as the seed does: every non-zero label (liver 1,
 * tumour 2, anything else) becomes 1, zero stays 0.
 *
 * <p>NB: the seed casts to uint8 before the test, so a label that truncates to a multiple of 256
 * (0.5, 256) would be background there; LiTS labels are 0, 1, 2, where both rules agree.
 */
public final class LabelMerge {

	private LabelMerge() {}

	/** Writes 1 for every non-zero of the first {@code n} {@code labels} into {@code out}, 0 otherwise. */
	public static void toBinary(final double[] labels, final int n, final byte[] out) {
		for (int p = 0; p < n; p++)
			out[p] = labels[p] != 0 ? (byte) 1 : (byte) 0;
	}
}
