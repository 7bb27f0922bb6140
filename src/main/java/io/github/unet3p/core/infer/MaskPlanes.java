package io.github.unet3p.core.infer;

import io.github.unet3p.core.util.InvalidInputException;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.view.Views;

/**
 * Reads and writes the axial planes of a 3-D integer mask as flat arrays indexed {@code i + I·j},
 * with a direct path for byte {@link PlanarImg}s (what {@link VolumeSegmenter} produces) and a
 * cursor path for everything else.
 */
final class MaskPlanes<T extends IntegerType<T>> {

	private final RandomAccessibleInterval<T> mask;
	private final PlanarImg<?, ?> planar;
	final int sizeI, sizeJ, sizeK;

	MaskPlanes(final RandomAccessibleInterval<T> mask) {
		if (mask.numDimensions() != 3) throw new IllegalArgumentException("a mask has 3 dimensions, not " + mask.numDimensions());
		final long area = mask.dimension(0) * mask.dimension(1);
		if (area > Integer.MAX_VALUE - 8 || mask.dimension(2) > Integer.MAX_VALUE)
			throw new InvalidInputException("a mask of " + mask.dimension(0) + "×" + mask.dimension(1) + " voxels per slice is too large (at most "
					+ (Integer.MAX_VALUE - 8) + " voxels per slice)");
		this.mask = Views.zeroMin(mask);
		this.planar = isBytePlanar(mask) ? (PlanarImg<?, ?>) mask : null;
		sizeI = (int) mask.dimension(0);
		sizeJ = (int) mask.dimension(1);
		sizeK = (int) mask.dimension(2);
	}

	private static boolean isBytePlanar(final RandomAccessibleInterval<?> mask) {
		return mask instanceof PlanarImg && ((PlanarImg<?, ?>) mask).numSlices() == mask.dimension(2)
				&& ((PlanarImg<?, ?>) mask).getPlane(0) instanceof ByteArray;
	}

	/** Voxels per plane. */
	int area() {
		return sizeI * sizeJ;
	}

	/** Sets {@code out[idx]} to 1 where plane k is non-zero (or zero, if {@code zeros}), else 0. */
	void members(final int k, final boolean zeros, final byte[] out) {
		if (planar != null) {
			final byte[] p = ((ByteArray) planar.getPlane(k)).getCurrentStorageArray();
			for (int idx = 0; idx < p.length; idx++)
				out[idx] = (byte) ((p[idx] == 0) == zeros ? 1 : 0);
			return;
		}
		int idx = 0;
		for (final T v : Views.flatIterable(Views.hyperSlice(mask, 2, k)))
			out[idx++] = (byte) ((v.getIntegerLong() == 0) == zeros ? 1 : 0);
	}

	/** Sets voxel {@code idx} of plane k to {@code values[idx]} wherever that is not negative. */
	void write(final int k, final int[] values) {
		if (planar != null) {
			final byte[] p = ((ByteArray) planar.getPlane(k)).getCurrentStorageArray();
			for (int idx = 0; idx < p.length; idx++)
				if (values[idx] >= 0) p[idx] = (byte) values[idx];
			return;
		}
		final Cursor<T> c = Views.flatIterable(Views.hyperSlice(mask, 2, k)).cursor();
		for (int idx = 0; c.hasNext(); idx++) {
			final T v = c.next();
			if (values[idx] >= 0) v.setInteger(values[idx]);
		}
	}
}
