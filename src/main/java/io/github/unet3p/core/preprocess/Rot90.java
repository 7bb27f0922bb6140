package io.github.unet3p.core.preprocess;

/**
 * Rotates axial slices as the seed's {@code np.rot90(volume)} does over the first two axes:
 * {@code out[r, c] = in[c, J−1−r]} for an array {@code in[i, j]} of shape (I, J); the result has
 * shape (J, I), i.e. J rows and I columns.
 */
public final class Rot90 {

	private Rot90() {}

	/**
	 * Rotates a stored slice into a row-major image.
	 *
	 * <p>NB: with the stored layout {@code i + I·j}, row r of the result is the stored run
	 * {@code j = J−1−r}, so the rotation is a copy of the runs in reverse order.
	 *
	 * @param stored {@code in[i, j]} at {@code i + sizeI·j} (the layout of {@code Volume#axialSlice})
	 * @param sizeI I, the size of the first stored axis
	 * @param sizeJ J, the size of the second stored axis
	 * @param out receives the row-major image of {@code sizeJ} rows × {@code sizeI} columns,
	 *            {@code out[r·sizeI + c] = in[c, J−1−r]}; at least {@code sizeI·sizeJ} long
	 */
	public static void storedSlice(final double[] stored, final int sizeI, final int sizeJ, final double[] out) {
		final int n = sizeI * sizeJ;
		if (stored.length < n || out.length < n)
			throw new IllegalArgumentException("slice arrays must hold " + sizeI + "×" + sizeJ + " values");
		if (stored == out) throw new IllegalArgumentException("rotation cannot work in place");
		for (int r = 0; r < sizeJ; r++)
			System.arraycopy(stored, sizeI * (sizeJ - 1 - r), out, r * sizeI, sizeI);
	}

	/**
	 * Rotates a nested array exactly as {@code np.rot90(a)}: {@code out[r][c] = a[c][J−1−r]}.
	 *
	 * @param a a rectangular array {@code a[i][j]} of I rows of J values
	 * @return a new array of J rows of I values
	 */
	public static double[][] of(final double[][] a) {
		final int sizeI = a.length, sizeJ = sizeI == 0 ? 0 : a[0].length;
		final double[][] out = new double[sizeJ][sizeI];
		for (int i = 0; i < sizeI; i++) {
			if (a[i].length != sizeJ) throw new IllegalArgumentException("array is not rectangular");
			for (int j = 0; j < sizeJ; j++)
				out[sizeJ - 1 - j][i] = a[i][j];
		}
		return out;
	}
}
