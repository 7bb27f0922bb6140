package io.github.unet3p.core.volume.nifti;

import java.util.Arrays;

/**
 * The qform and fall-back affines of a {@link NiftiHeader}, computed as nibabel does (the sform is
 * read directly by {@link NiftiHeader#sformAffine()}).
 */
final class NiftiAffines {

	/** nibabel's tolerance for b² + c² + d² above 1 (3 float32 epsilons). */
	private static final double QUATERNION_TOLERANCE = 3 * Math.ulp(1.0f);

	private NiftiAffines() {}

	/**
	 * The qform as a 4×4 matrix, whatever {@code qform_code} says.
	 *
	 * @throws IllegalStateException if b² + c² + d² exceeds 1 beyond float32 rounding
	 */
	static double[][] qform(final NiftiHeader h) {
		final double[] bcd = h.quaternion();
		final double w2 = 1 - (bcd[0] * bcd[0] + bcd[1] * bcd[1] + bcd[2] * bcd[2]);
		if (w2 < -QUATERNION_TOLERANCE)
			throw new IllegalStateException("quaternion (b, c, d) = " + Arrays.toString(bcd) + " has a norm above 1");
		final double w = w2 < 0 ? 0 : Math.sqrt(w2);
		final double[][] r = Quaternions.toRotation(w, bcd[0], bcd[1], bcd[2]);
		final double[] vox = { h.fixedPixdim(1), h.fixedPixdim(2), h.fixedPixdim(3) };
		if (h.pixdim(0) == -1) vox[2] = -vox[2];
		final double[] off = h.qoffset();
		final double[][] a = new double[4][4];
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++)
				a[i][j] = r[i][j] * vox[j];
			a[i][3] = off[i];
		}
		a[3][3] = 1;
		return a;
	}

	/** nibabel's fall-back affine: diag(−z_i, z_j, z_k) with the middle voxel at the origin. */
	static double[][] fallback(final NiftiHeader h) {
		final long[] shape = h.volumeDimensions();
		final double[] z = h.spacing();
		z[0] = -z[0];
		final double[][] a = new double[4][4];
		for (int d = 0; d < 3; d++) {
			a[d][d] = z[d];
			a[d][3] = -(shape[d] - 1) / 2.0 * z[d];
		}
		a[3][3] = 1;
		return a;
	}
}
