package io.github.unet3p.core.volume;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * A 3-D scalar volume as it reaches the rest of the code: the stored voxel values (an ImgLib2
 * image over the stored index order i, j, k — i fastest), the linear value scaling the file
 * declares, and the geometry. Immutable; the voxels are shared, never copied.
 *
 * <p>NB: the raw values are kept in their stored type (an int16 CT stays int16) and scaling is a
 * lazy view, so a 512×512×900 CT costs one copy of its voxels, not a float64 copy too.
 */
public final class Volume {

	private final RandomAccessibleInterval<? extends RealType<?>> raw;
	private final double slope;
	private final double intercept;
	private final VolumeGeometry geometry;

	/**
	 * Creates a volume.
	 *
	 * @param raw stored values, exactly 3 dimensions (i, j, k)
	 * @param slope value = slope · raw + intercept; pass 1 and 0 for none
	 * @param intercept see {@code slope}
	 * @param geometry spacing and affine
	 */
	public Volume(final RandomAccessibleInterval<? extends RealType<?>> raw, final double slope, final double intercept,
			final VolumeGeometry geometry) {
		if (raw.numDimensions() != 3) throw new IllegalArgumentException("a volume has 3 dimensions, not " + raw.numDimensions());
		if (!Double.isFinite(slope) || !Double.isFinite(intercept) || slope == 0)
			throw new IllegalArgumentException("scaling must be finite with a non-zero slope");
		this.raw = Views.isZeroMin(raw) ? raw : Views.zeroMin(raw); // NB: no view layer over zero-min images (fast cursors)
		this.slope = slope;
		this.intercept = intercept;
		this.geometry = geometry;
	}

	/** A volume without value scaling. */
	public static Volume of(final RandomAccessibleInterval<? extends RealType<?>> raw, final VolumeGeometry geometry) {
		return new Volume(raw, 1, 0, geometry);
	}

	/** The stored values, zero-min, before scaling. */
	public RandomAccessibleInterval<? extends RealType<?>> raw() {
		return raw;
	}

	/** A lazy view of the scaled values (slope · raw + intercept) as float64. */
	public RandomAccessibleInterval<DoubleType> values() {
		final double s = slope, b = intercept;
		return Converters.convert2(raw, (in, out) -> out.set(s * in.getRealDouble() + b), DoubleType::new);
	}

	/** Slope of the value scaling (1 when the file has none). */
	public double slope() {
		return slope;
	}

	/** Intercept of the value scaling (0 when the file has none). */
	public double intercept() {
		return intercept;
	}

	/** Spacing and affine. */
	public VolumeGeometry geometry() {
		return geometry;
	}

	/** Size along the stored axis {@code d} (0 = i, 1 = j, 2 = k). */
	public int size(final int d) {
		return (int) raw.dimension(d);
	}

	/** The three sizes (I, J, K). */
	public long[] dimensions() {
		return raw.dimensionsAsLongArray();
	}

	/**
	 * Copies the scaled values of axial slice {@code k} into {@code out}, index {@code i + I·j}.
	 *
	 * @param out an array of at least I·J elements
	 */
	public void axialSlice(final int k, final double[] out) {
		final int n = size(0) * size(1);
		if (out.length < n) throw new IllegalArgumentException("slice buffer too small: " + out.length + " < " + n);
		if (raw instanceof PlanarImg && copyPlane((PlanarImg<?, ?>) raw, k, out, n)) return;
		int idx = 0;
		for (final RealType<?> v : Views.flatIterable(Views.hyperSlice(raw, 2, k)))
			out[idx++] = slope * v.getRealDouble() + intercept;
	}

	/**
	 * The fast path of {@link #axialSlice}: scales plane {@code k} of a planar image straight from
	 * its primitive array, with the same arithmetic as the generic path ({@code slope · v + intercept}
	 * in double, so the values are identical).
	 *
	 * <p>NB: only the exact pixel types {@code NiftiReader} creates are handled (their storage and
	 * signedness are known); any other type returns {@code false} and takes the generic cursor.
	 *
	 * @return whether the plane was copied
	 */
	private boolean copyPlane(final PlanarImg<?, ?> img, final int k, final double[] out, final int n) {
		final Object plane = img.getPlane(k);
		if (!(plane instanceof ArrayDataAccess)) return false;
		final Object a = ((ArrayDataAccess<?>) plane).getCurrentStorageArray();
		final Class<?> type = img.firstElement().getClass();
		final double s = slope, b = intercept;
		if (type == ShortType.class) {
			final short[] v = (short[]) a;
			for (int p = 0; p < n; p++)
				out[p] = s * v[p] + b;
		}
		else if (type == UnsignedShortType.class) {
			final short[] v = (short[]) a;
			for (int p = 0; p < n; p++)
				out[p] = s * (v[p] & 0xffff) + b;
		}
		else if (type == UnsignedByteType.class) {
			final byte[] v = (byte[]) a;
			for (int p = 0; p < n; p++)
				out[p] = s * (v[p] & 0xff) + b;
		}
		else if (type == ByteType.class) {
			final byte[] v = (byte[]) a;
			for (int p = 0; p < n; p++)
				out[p] = s * v[p] + b;
		}
		else if (type == IntType.class) {
			final int[] v = (int[]) a;
			for (int p = 0; p < n; p++)
				out[p] = s * v[p] + b;
		}
		else if (type == FloatType.class) {
			final float[] v = (float[]) a;
			for (int p = 0; p < n; p++)
				out[p] = s * v[p] + b;
		}
		else if (type == DoubleType.class) {
			final double[] v = (double[]) a;
			for (int p = 0; p < n; p++)
				out[p] = s * v[p] + b;
		}
		else return false;
		return true;
	}
}
