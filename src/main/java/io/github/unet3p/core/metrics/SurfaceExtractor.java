package io.github.unet3p.core.metrics;

/**
 * Object surfaces as the LiTS evaluation code defines them: the object voxels that one binary
 * erosion with the 18-neighbourhood structuring element removes.
 *
 * <p>The structuring element is the 3×3×3 cube without its 8 corners: a voxel and its 6 face and
 * 12 edge neighbours (offsets with at most two non-zero components). A voxel survives the erosion
 * only if all 19 of those voxels are object voxels; voxels outside the array count as background,
 * so an object touching the border has its border voxels on the surface. This is scipy's
 * {@code binary_erosion(mask, generate_binary_structure(3, 2), iterations=1)} with its default
 * {@code border_value=0}, as used by medpy's surface distances and the LiTS {@code surface.py}.
 */
public final class SurfaceExtractor {

	private SurfaceExtractor() {}

	/** The surface voxels of {@code mask}: object voxels minus {@link #erode(BinaryMask)}. */
	public static BinaryMask surface(final BinaryMask mask) {
		final long[] in = mask.words();
		final long[] eroded = erode(mask).words();
		final long[] out = new long[in.length];
		for (int w = 0; w < in.length; w++)
			out[w] = in[w] & ~eroded[w];
		return BinaryMask.sameGrid(mask, out);
	}

	/**
	 * One binary erosion of {@code mask} with the 18-neighbourhood structuring element, outside the
	 * array counting as background. A single voxel, a one-voxel-thick sheet or any voxel on the
	 * array border never survives.
	 */
	public static BinaryMask erode(final BinaryMask mask) {
		final int nj = mask.size(1), nk = mask.size(2), nw = mask.wordsPerRow();
		final long[] in = mask.words();
		final long[] out = new long[in.length];
		// Rows on the j or k border have a neighbour row outside the array: nothing survives there.
		for (int k = 1; k < nk - 1; k++)
			for (int j = 1; j < nj - 1; j++) {
				final int c = mask.rowStart(j, k);
				if (isZero(in, c, nw)) continue;
				final int jm = mask.rowStart(j - 1, k), jp = mask.rowStart(j + 1, k);
				final int km = mask.rowStart(j, k - 1), kp = mask.rowStart(j, k + 1);
				final int mm = mask.rowStart(j - 1, k - 1), pm = mask.rowStart(j + 1, k - 1);
				final int mp = mask.rowStart(j - 1, k + 1), pp = mask.rowStart(j + 1, k + 1);
				for (int w = 0; w < nw; w++) {
					// The five rows with a face or edge neighbour along i need their i-neighbours too;
					// the four diagonal rows (j±1, k±1) only the voxel at the same i.
					out[c + w] = alongI(in, c, w, nw) & alongI(in, jm, w, nw) & alongI(in, jp, w, nw)
							& alongI(in, km, w, nw) & alongI(in, kp, w, nw)
							& in[mm + w] & in[pm + w] & in[mp + w] & in[pp + w];
				}
			}
		return BinaryMask.sameGrid(mask, out);
	}

	/** Word {@code w} of a row eroded along i only: bit i set iff i − 1, i and i + 1 are set. */
	private static long alongI(final long[] words, final int row, final int w, final int nw) {
		final long x = words[row + w];
		final long before = w > 0 ? words[row + w - 1] >>> 63 : 0L;
		final long after = w < nw - 1 ? words[row + w + 1] << 63 : 0L;
		return x & (x << 1 | before) & (x >>> 1 | after);
	}

	private static boolean isZero(final long[] words, final int row, final int nw) {
		for (int w = 0; w < nw; w++)
			if (words[row + w] != 0) return false;
		return true;
	}
}
