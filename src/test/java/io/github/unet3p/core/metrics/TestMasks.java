package io.github.unet3p.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Masks and reference computations for the metrics tests, written independently of the code under
 * test: erosion by checking every neighbour, distances by comparing every pair of voxels.
 */
final class TestMasks {

	private TestMasks() {}

	/** A box [lo, hi] (inclusive) per axis inside a grid. */
	static BinaryMask box(final int[] dims, final double[] spacing, final int[] lo, final int[] hi) {
		return BinaryMask.of(dims, spacing, (i, j, k) -> i >= lo[0] && i <= hi[0] && j >= lo[1] && j <= hi[1] && k >= lo[2] && k <= hi[2]);
	}

	/** A mask from a boolean array [i][j][k]. */
	static BinaryMask of(final boolean[][][] v, final double[] spacing) {
		return BinaryMask.of(new int[] { v.length, v[0].length, v[0][0].length }, spacing, (i, j, k) -> v[i][j][k]);
	}

	/** The mask as a boolean array [i][j][k]. */
	static boolean[][][] toArray(final BinaryMask m) {
		final boolean[][][] v = new boolean[m.size(0)][m.size(1)][m.size(2)];
		for (int i = 0; i < m.size(0); i++)
			for (int j = 0; j < m.size(1); j++)
				for (int k = 0; k < m.size(2); k++)
					v[i][j][k] = m.get(i, j, k);
		return v;
	}

	/**
	 * A blobby random shape: a union of random ellipsoids, plus a sprinkling of single voxels and
	 * holes so that thin parts, isolated voxels and cavities occur.
	 */
	static boolean[][][] blobs(final Random random, final int ni, final int nj, final int nk) {
		final boolean[][][] v = new boolean[ni][nj][nk];
		final int count = 1 + random.nextInt(4);
		for (int b = 0; b < count; b++) {
			final double ci = random.nextDouble() * ni, cj = random.nextDouble() * nj, ck = random.nextDouble() * nk;
			final double ri = 0.7 + random.nextDouble() * ni / 3.0, rj = 0.7 + random.nextDouble() * nj / 3.0, rk = 0.7 + random.nextDouble() * nk / 3.0;
			for (int i = 0; i < ni; i++)
				for (int j = 0; j < nj; j++)
					for (int k = 0; k < nk; k++) {
						final double di = (i - ci) / ri, dj = (j - cj) / rj, dk = (k - ck) / rk;
						if (di * di + dj * dj + dk * dk <= 1) v[i][j][k] = true;
					}
		}
		final int flips = random.nextInt(6);
		for (int f = 0; f < flips; f++) {
			final int i = random.nextInt(ni), j = random.nextInt(nj), k = random.nextInt(nk);
			v[i][j][k] = !v[i][j][k];
		}
		return v;
	}

	/**
	 * Surface by definition: an object voxel is on the surface unless all voxels at offsets with
	 * at most two non-zero components in {-1, 0, 1} lie inside the array and in the object.
	 */
	static boolean[][][] surface(final boolean[][][] v) {
		final int ni = v.length, nj = v[0].length, nk = v[0][0].length;
		final boolean[][][] s = new boolean[ni][nj][nk];
		for (int i = 0; i < ni; i++)
			for (int j = 0; j < nj; j++)
				for (int k = 0; k < nk; k++) {
					if (!v[i][j][k]) continue;
					boolean interior = true;
					for (int a = -1; a <= 1; a++)
						for (int b = -1; b <= 1; b++)
							for (int c = -1; c <= 1; c++) {
								if (Math.abs(a) + Math.abs(b) + Math.abs(c) > 2) continue;
								final int x = i + a, y = j + b, z = k + c;
								final boolean in = x >= 0 && y >= 0 && z >= 0 && x < ni && y < nj && z < nk && v[x][y][z];
								if (!in) interior = false;
							}
					s[i][j][k] = !interior;
				}
		return s;
	}

	/** Brute force: for each voxel of {@code from} in raster order (i fastest), the distance to the nearest voxel of {@code to}. */
	static double[] distances(final boolean[][][] from, final boolean[][][] to, final double[] spacing) {
		final List<int[]> targets = voxels(to);
		final List<Double> out = new ArrayList<>();
		for (final int[] p : voxels(from)) {
			double best = Double.POSITIVE_INFINITY;
			for (final int[] q : targets) {
				final double dx = (p[0] - q[0]) * spacing[0], dy = (p[1] - q[1]) * spacing[1], dz = (p[2] - q[2]) * spacing[2];
				best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
			}
			out.add(best);
		}
		return out.stream().mapToDouble(Double::doubleValue).toArray();
	}

	/** The set voxels in raster order (i fastest, then j, then k). */
	static List<int[]> voxels(final boolean[][][] v) {
		final List<int[]> list = new ArrayList<>();
		for (int k = 0; k < v[0][0].length; k++)
			for (int j = 0; j < v[0].length; j++)
				for (int i = 0; i < v.length; i++)
					if (v[i][j][k]) list.add(new int[] { i, j, k });
		return list;
	}

	/** Reference 95th percentile: sort, then interpolate at rank 0.95·(n − 1). */
	static double hd95(final double[] a, final double[] b) {
		final double[] all = new double[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		Arrays.sort(all);
		final double rank = 0.95 * (all.length - 1);
		final int lo = (int) rank;
		final double frac = rank - lo;
		return lo + 1 < all.length ? all[lo] * (1 - frac) + all[lo + 1] * frac : all[lo];
	}
}
