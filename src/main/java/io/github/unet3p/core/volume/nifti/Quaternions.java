package io.github.unet3p.core.volume.nifti;

/**
 * Rotation quaternions for the NIfTI qform: quaternion → rotation matrix, and an affine's
 * 3×3 part → (b, c, d, qfac).
 */
final class Quaternions {

	private Quaternions() {}

	/** The rotation matrix of the (not necessarily unit) quaternion w + xi + yj + zk; identity if it is ~0. */
	static double[][] toRotation(final double w, final double x, final double y, final double z) {
		final double n = w * w + x * x + y * y + z * z;
		if (n < Math.ulp(1.0)) return new double[][] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		final double s = 2 / n;
		final double xs = x * s, ys = y * s, zs = z * s;
		final double wx = w * xs, wy = w * ys, wz = w * zs;
		final double xx = x * xs, xy = x * ys, xz = x * zs;
		final double yy = y * ys, yz = y * zs, zz = z * zs;
		return new double[][] {
			{ 1 - (yy + zz), xy - wz, xz + wy },
			{ xy + wz, 1 - (xx + zz), yz - wx },
			{ xz - wy, yz + wx, 1 - (xx + yy) } };
	}

	/**
	 * The qform parameters of an affine: (b, c, d, qfac) of the rotation closest to its 3×3 part
	 * once the column lengths are divided out, with a ≥ 0; qfac = −1 when the 3×3 part mirrors
	 * (the k column is negated first). Null if the 3×3 part is singular or not finite.
	 */
	static double[] fromAffine(final double[][] affine) {
		final double[][] r = new double[3][3];
		for (int c = 0; c < 3; c++) {
			double norm = 0;
			for (int i = 0; i < 3; i++)
				norm += affine[i][c] * affine[i][c];
			norm = Math.sqrt(norm);
			if (!(norm > 0) || !Double.isFinite(norm)) return null;
			for (int i = 0; i < 3; i++)
				r[i][c] = affine[i][c] / norm;
		}
		double qfac = 1;
		final double det = det(r);
		if (!(Math.abs(det) > 1e-6)) return null;
		if (det < 0) {
			qfac = -1;
			for (int i = 0; i < 3; i++)
				r[i][2] = -r[i][2];
		}
		final double[][] q = orthogonalize(r);
		final double[] wxyz = fromRotation(q);
		if (wxyz[0] < 0) for (int i = 0; i < 4; i++)
			wxyz[i] = -wxyz[i];
		return new double[] { wxyz[1], wxyz[2], wxyz[3], qfac };
	}

	/** The orthogonal polar factor of a non-singular matrix (Newton iteration X ← (X + X⁻ᵀ)/2). */
	private static double[][] orthogonalize(final double[][] m) {
		double[][] x = m;
		for (int it = 0; it < 100; it++) {
			final double[][] invT = inverseTranspose(x);
			final double[][] next = new double[3][3];
			double change = 0;
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++) {
					next[i][j] = 0.5 * (x[i][j] + invT[i][j]);
					change = Math.max(change, Math.abs(next[i][j] - x[i][j]));
				}
			x = next;
			if (change < 1e-15) break;
		}
		return x;
	}

	/** (w, x, y, z) of a proper rotation matrix, by the largest-diagonal case split. */
	private static double[] fromRotation(final double[][] m) {
		final double trace = m[0][0] + m[1][1] + m[2][2];
		if (trace > 0) {
			final double s = 2 * Math.sqrt(trace + 1);
			return new double[] { s / 4, (m[2][1] - m[1][2]) / s, (m[0][2] - m[2][0]) / s, (m[1][0] - m[0][1]) / s };
		}
		if (m[0][0] > m[1][1] && m[0][0] > m[2][2]) {
			final double s = 2 * Math.sqrt(1 + m[0][0] - m[1][1] - m[2][2]);
			return new double[] { (m[2][1] - m[1][2]) / s, s / 4, (m[0][1] + m[1][0]) / s, (m[0][2] + m[2][0]) / s };
		}
		if (m[1][1] > m[2][2]) {
			final double s = 2 * Math.sqrt(1 + m[1][1] - m[0][0] - m[2][2]);
			return new double[] { (m[0][2] - m[2][0]) / s, (m[0][1] + m[1][0]) / s, s / 4, (m[1][2] + m[2][1]) / s };
		}
		final double s = 2 * Math.sqrt(1 + m[2][2] - m[0][0] - m[1][1]);
		return new double[] { (m[1][0] - m[0][1]) / s, (m[0][2] + m[2][0]) / s, (m[1][2] + m[2][1]) / s, s / 4 };
	}

	private static double det(final double[][] m) {
		return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
				- m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
				+ m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
	}

	/** (m⁻¹)ᵀ = cofactor matrix / det. */
	private static double[][] inverseTranspose(final double[][] m) {
		final double d = det(m);
		final double[][] c = new double[3][3];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				final int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
				c[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / d;
			}
		return c;
	}
}
