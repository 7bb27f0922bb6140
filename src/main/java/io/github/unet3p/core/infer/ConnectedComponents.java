package io.github.unet3p.core.infer;

import java.util.Arrays;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.integer.IntType;

/**
 * Connected components of the non-zero voxels of a 3-D mask, with 6- or 26-connectivity:
 * labelling, and keeping only the largest component. Iterative two-pass union-find, streamed
 * plane by plane (no recursion, no flood-fill stack), so a 512×512×200 mask is routine.
 */
public final class ConnectedComponents {

	private ConnectedComponents() {}

	/**
	 * Labels the components of the non-zero voxels of {@code mask}.
	 *
	 * <p>Labels are 1, 2, … numbered in the order of each component's first voxel in scan order
	 * (i fastest, then j, then k); background is 0.
	 *
	 * @param mask a 3-D image; non-zero voxels are foreground
	 * @param connectivity which neighbours connect
	 * @return the label image (same size, zero-min) and the component sizes
	 */
	public static <T extends IntegerType<T>> Components label(final RandomAccessibleInterval<T> mask, final Connectivity connectivity) {
		final MaskPlanes<T> planes = new MaskPlanes<>(mask);
		final ComponentScan scan = new ComponentScan(planes, false, connectivity);
		final PlanarImg<IntType, IntArray> labels = PlanarImgs.ints(planes.sizeI, planes.sizeJ, planes.sizeK);
		scan.relabel((k, finals) -> System.arraycopy(finals, 0, labels.getPlane(k).getCurrentStorageArray(), 0, planes.area()));
		return new Components(labels, scan.sizes());
	}

	/**
	 * Sets to 0 every non-zero voxel of {@code mask} outside its largest component, in place.
	 *
	 * <p>NB: of equally large components the one whose first voxel comes first in scan order
	 * (i fastest, then j, then k) is kept, so the result never depends on anything but the mask.
	 * An empty mask stays empty.
	 *
	 * @param mask a 3-D image, modified in place; non-zero voxels are foreground and keep their value
	 * @param connectivity which neighbours connect
	 * @return the number of voxels set to 0
	 */
	public static <T extends IntegerType<T>> long keepLargest(final RandomAccessibleInterval<T> mask, final Connectivity connectivity) {
		final MaskPlanes<T> planes = new MaskPlanes<>(mask);
		final ComponentScan scan = new ComponentScan(planes, false, connectivity);
		if (scan.components() <= 1) return 0;
		final long[] sizes = scan.sizes();
		int keep = 1;
		long removed = 0;
		for (int c = 2; c < sizes.length; c++)
			if (sizes[c] > sizes[keep]) keep = c;
		for (int c = 1; c < sizes.length; c++)
			if (c != keep) removed += sizes[c];
		final int kept = keep;
		final int[] values = new int[planes.area()];
		scan.relabel((k, finals) -> {
			for (int idx = 0; idx < values.length; idx++)
				values[idx] = finals[idx] == 0 || finals[idx] == kept ? -1 : 0;
			planes.write(k, values);
		});
		return removed;
	}

	/** The components of a mask: a label image and the size of every label. */
	public static final class Components {

		private final PlanarImg<IntType, IntArray> labels;
		private final long[] sizes;

		Components(final PlanarImg<IntType, IntArray> labels, final long[] sizes) {
			this.labels = labels;
			this.sizes = sizes;
		}

		/** The label image: 0 for background, 1 … {@link #count()} for the components. */
		public PlanarImg<IntType, IntArray> labels() {
			return labels;
		}

		/** Number of components. */
		public int count() {
			return sizes.length - 1;
		}

		/** Voxels of component {@code label} (1 … {@link #count()}). */
		public long size(final int label) {
			if (label < 1 || label >= sizes.length) throw new IndexOutOfBoundsException("no component " + label + " of " + count());
			return sizes[label];
		}

		@Override
		public String toString() {
			return count() + " components, sizes " + Arrays.toString(Arrays.copyOfRange(sizes, 1, sizes.length));
		}
	}
}
