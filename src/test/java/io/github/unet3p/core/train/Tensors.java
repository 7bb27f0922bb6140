package io.github.unet3p.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Test helpers: NCHW arrays as Java arrays and back, and seeded random inputs. */
final class Tensors {

	private Tensors() {}

	/** A float32 NCHW array from [b][c][h][w] doubles. */
	static NDArray of(final NDManager m, final double[][][][] v) {
		final int b = v.length;
		final int c = v[0].length;
		final int h = v[0][0].length;
		final int w = v[0][0][0].length;
		final float[] flat = new float[b * c * h * w];
		int k = 0;
		for (final double[][][] image : v)
			for (final double[][] plane : image)
				for (final double[] row : plane)
					for (final double x : row)
						flat[k++] = (float) x;
		return m.create(flat, new Shape(b, c, h, w));
	}

	/** A float64 NCHW array from [b][c][h][w] doubles. */
	static NDArray of64(final NDManager m, final double[][][][] v) {
		final int b = v.length;
		final int c = v[0].length;
		final int h = v[0][0].length;
		final int w = v[0][0][0].length;
		final double[] flat = new double[b * c * h * w];
		int k = 0;
		for (final double[][][] image : v)
			for (final double[][] plane : image)
				for (final double[] row : plane)
					for (final double x : row)
						flat[k++] = x;
		return m.create(flat, new Shape(b, c, h, w));
	}

	/** Random values in [0, 1), [b][c][h][w]. */
	static double[][][][] uniform(final Random random, final int b, final int c, final int h, final int w) {
		final double[][][][] v = new double[b][c][h][w];
		for (final double[][][] image : v)
			for (final double[][] plane : image)
				for (final double[] row : plane)
					for (int j = 0; j < row.length; j++)
						row[j] = (float) random.nextDouble();
		return v;
	}

	/** Two-class one-hot mask of a random 0/1 label map, [b][2][h][w]. */
	static double[][][][] randomOneHot(final Random random, final int b, final int h, final int w) {
		final double[][][][] v = new double[b][2][h][w];
		for (int i = 0; i < b; i++)
			for (int r = 0; r < h; r++)
				for (int c = 0; c < w; c++) {
					final int label = random.nextInt(2);
					v[i][label][r][c] = 1;
				}
		return v;
	}

	/** A two-class softmax-like prediction: p1 random, p0 = 1 − p1, [b][2][h][w]. */
	static double[][][][] randomTwoClass(final Random random, final int b, final int h, final int w) {
		final double[][][][] v = new double[b][2][h][w];
		for (int i = 0; i < b; i++)
			for (int r = 0; r < h; r++)
				for (int c = 0; c < w; c++) {
					final float p = (float) random.nextDouble();
					v[i][1][r][c] = p;
					v[i][0][r][c] = (float) (1 - p);
				}
		return v;
	}

	/** A constant [b][c][h][w] array. */
	static double[][][][] constant(final int b, final int c, final int h, final int w, final double... perChannel) {
		final double[][][][] v = new double[b][c][h][w];
		for (final double[][][] image : v)
			for (int ch = 0; ch < c; ch++)
				for (final double[] row : image[ch])
					java.util.Arrays.fill(row, perChannel[ch]);
		return v;
	}
}
