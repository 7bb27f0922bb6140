package io.github.unet3p.core.volume;

import java.util.Arrays;

/**
 * Where the voxels of a 3-D volume sit in the world: the voxel spacing in millimetres along the
 * three stored axes (i, j, k) and the 4×4 voxel-to-world affine (RAS+, millimetres), as NIfTI's
 * sform or qform gives it. Immutable.
 */
public final class VolumeGeometry {

	private final double[] spacing;
	private final double[][] affine;

	/**
	 * Creates a geometry.
	 *
	 * @param spacing three positive, finite voxel sizes in mm (i, j, k)
	 * @param affine 4×4 voxel-to-world matrix; its last row must be (0, 0, 0, 1)
	 */
	public VolumeGeometry(final double[] spacing, final double[][] affine) {
		if (spacing.length != 3) throw new IllegalArgumentException("spacing needs 3 values");
		for (final double s : spacing)
			if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("spacing must be positive and finite: " + Arrays.toString(spacing));
		if (affine.length != 4) throw new IllegalArgumentException("affine needs 4 rows");
		this.spacing = spacing.clone();
		this.affine = new double[4][];
		for (int r = 0; r < 4; r++) {
			if (affine[r].length != 4) throw new IllegalArgumentException("affine needs 4 columns");
			this.affine[r] = affine[r].clone();
		}
	}

	/** A geometry with the given spacing and an axis-aligned affine (scaling only, origin 0). */
	public static VolumeGeometry ofSpacing(final double... spacing) {
		final double[][] a = new double[4][4];
		for (int d = 0; d < 3; d++)
			a[d][d] = spacing[d];
		a[3][3] = 1;
		return new VolumeGeometry(spacing, a);
	}

	/** Voxel sizes in mm along i, j, k (a copy). */
	public double[] spacing() {
		return spacing.clone();
	}

	/** The voxel-to-world affine (a deep copy). */
	public double[][] affine() {
		final double[][] copy = new double[4][];
		for (int r = 0; r < 4; r++)
			copy[r] = affine[r].clone();
		return copy;
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof VolumeGeometry)) return false;
		final VolumeGeometry g = (VolumeGeometry) o;
		return Arrays.equals(spacing, g.spacing) && Arrays.deepEquals(affine, g.affine);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(spacing) + Arrays.deepHashCode(affine);
	}

	@Override
	public String toString() {
		return "VolumeGeometry[spacing=" + Arrays.toString(spacing) + ", affine=" + Arrays.deepToString(affine) + "]";
	}
}
