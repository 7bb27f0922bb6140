package io.github.unet3p.core.infer;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.IntegerType;

/**
 * Fills the 3-D holes of a mask's foreground: every background component (6-connected) that has
 * no voxel on a face of the volume is enclosed by foreground and becomes foreground.
 *
 * <p>NB: background uses 6-connectivity, the complement of the 26-connected foreground, so a
 * cavity that reaches the outside only through a diagonal gap between foreground voxels counts as
 * enclosed (the foreground is closed around it under 26-connectivity). A cavity open to any face of
 * the volume, including the first and last slice, is not a hole.
 */
public final class HoleFilling {

	private HoleFilling() {}

	/** Fills the holes of {@code mask} with the value 1, in place; see {@link #fill(RandomAccessibleInterval, int)}. */
	public static <T extends IntegerType<T>> long fill(final RandomAccessibleInterval<T> mask) {
		return fill(mask, 1);
	}

	/**
	 * Fills the holes of {@code mask} with {@code value}, in place.
	 *
	 * @param mask a 3-D image, modified in place; non-zero voxels are foreground
	 * @param value the non-zero value hole voxels receive
	 * @return the number of voxels filled
	 */
	public static <T extends IntegerType<T>> long fill(final RandomAccessibleInterval<T> mask, final int value) {
		if (value == 0) throw new IllegalArgumentException("holes must be filled with a non-zero value");
		final MaskPlanes<T> planes = new MaskPlanes<>(mask);
		final ComponentScan scan = new ComponentScan(planes, true, Connectivity.SIX);
		final long[] sizes = scan.sizes();
		final boolean[] fill = new boolean[sizes.length];
		long filled = 0;
		for (int c = 1; c < sizes.length; c++) {
			fill[c] = !scan.touchesBorder(c);
			if (fill[c]) filled += sizes[c];
		}
		if (filled == 0) return 0;
		final int[] values = new int[planes.area()];
		scan.relabel((k, finals) -> {
			for (int idx = 0; idx < values.length; idx++)
				values[idx] = fill[finals[idx]] ? value : -1;
			planes.write(k, values);
		});
		return filled;
	}
}
