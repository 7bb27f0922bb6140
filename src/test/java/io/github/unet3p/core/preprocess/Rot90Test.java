package io.github.unet3p.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;

class Rot90Test {

	/** a[i][j] with I = 2, J = 3; np.rot90(a) = [[3, 6], [2, 5], [1, 4]] (by hand from out[r][c] = a[c][J−1−r]). */
	private static final double[][] A = { { 1, 2, 3 }, { 4, 5, 6 } };
	private static final double[][] ROT = { { 3, 6 }, { 2, 5 }, { 1, 4 } };

	@Test
	void nestedArrayRotatesLikeNumpy() {
		assertArrayEquals(ROT, Rot90.of(A));
	}

	@Test
	void storedSliceRotatesLikeNumpy() {
		// stored layout i + I·j: a00 a10 a01 a11 a02 a12
		final double[] stored = { 1, 4, 2, 5, 3, 6 };
		final double[] out = new double[6];
		Rot90.storedSlice(stored, 2, 3, out);
		assertArrayEquals(new double[] { 3, 6, 2, 5, 1, 4 }, out);
	}

	@Test
	void volumeSliceRotatesLikeNumpy() {
		// a volume of shape (I, J, K) = (2, 3, 2); slice k holds a[i][j] + 10k
		final double[] data = new double[12];
		for (int k = 0; k < 2; k++)
			for (int j = 0; j < 3; j++)
				for (int i = 0; i < 2; i++)
					data[i + 2 * j + 6 * k] = A[i][j] + 10 * k;
		final Volume v = Volume.of(ArrayImgs.doubles(data, 2, 3, 2), VolumeGeometry.ofSpacing(1, 1, 1));
		final double[] stored = new double[6], out = new double[6];
		v.axialSlice(1, stored);
		Rot90.storedSlice(stored, 2, 3, out);
		assertArrayEquals(new double[] { 13, 16, 12, 15, 11, 14 }, out);
	}
}
