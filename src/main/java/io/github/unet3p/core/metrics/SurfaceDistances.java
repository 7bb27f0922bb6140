package io.github.unet3p.core.metrics;

import java.util.Arrays;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Directed surface distances: for every voxel of one surface, the Euclidean distance in mm from
 * its centre to the nearest voxel centre of another surface, with the (anisotropic) voxel
 * spacing. These are the values medpy samples from {@code distance_transform_edt(~toSurface,
 * sampling=spacing)} at the {@code from} voxels, and the nearest-neighbour distances of the LiTS
 * {@code surface.py}.
 *
 * <p>Method: an exact separable Euclidean distance transform of the {@code to} voxels
 * (Felzenszwalb and Huttenlocher's lower envelope of parabolas, each axis weighted by its squared
 * spacing), computed slice by slice: along k from a per-column list of the {@code to} voxels, then
 * along i and j within the slice; only slices and columns holding {@code from} voxels are
 * transformed, inside the bounding box of both surfaces (exact, because every voxel that can be a
 * nearest one lies inside it). Time is linear in the box's voxels.
 *
 * <p>NB: memory is bounded by the surfaces and one slice, never by the volume: about
 * 4 bytes per {@code to} voxel, 8 bytes per {@code from} voxel (the result) and 24 bytes per voxel
 * of one axial slice of the box (6 MB for 512×512); no full-volume distance map is allocated.
 */
public final class SurfaceDistances {

	private SurfaceDistances() {}

	/**
	 * The distance in mm from every voxel of {@code from} to the nearest voxel of {@code to}, in
	 * raster order of the {@code from} voxels (i fastest, then j, then k).
	 *
	 * @param from the surface whose voxels are measured; same shape and spacing as {@code to}
	 * @param to the surface measured against; if it is empty, every distance is +∞
	 */
	public static double[] directed(final BinaryMask from, final BinaryMask to) {
		return directed(from, to, Cancellation.none(), ProgressListener.NONE);
	}

	/**
	 * As {@link #directed(BinaryMask, BinaryMask)}, checking {@code cancel} and reporting to
	 * {@code progress} once per axial slice.
	 *
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled
	 */
	public static double[] directed(final BinaryMask from, final BinaryMask to, final Cancellation cancel,
			final ProgressListener progress) {
		if (!from.sameShape(to))
			throw new IllegalArgumentException("surfaces differ in shape: " + Arrays.toString(from.dimensions()) + " vs " + Arrays.toString(to.dimensions()));
		if (!Arrays.equals(from.spacing(), to.spacing()))
			throw new IllegalArgumentException("surfaces differ in spacing: " + Arrays.toString(from.spacing()) + " vs " + Arrays.toString(to.spacing()));
		final double[] out = new double[checkedCount(from, "surface")];
		if (out.length == 0) return out;
		if (to.isEmpty()) {
			Arrays.fill(out, Double.POSITIVE_INFINITY);
			return out;
		}
		new Transform(from, to, cancel, progress).run(out);
		return out;
	}

	private static int checkedCount(final BinaryMask m, final String what) {
		final long n = m.count();
		if (n > Integer.MAX_VALUE - 8)
			throw new InvalidInputException("the " + what + " has " + n + " voxels, too many to measure: at most " + (Integer.MAX_VALUE - 8));
		return (int) n;
	}

	/** The state of one directed computation. */
	private static final class Transform {

		private final BinaryMask from, to;
		private final Cancellation cancel;
		private final ProgressListener progress;
		private final double w0, w1, w2;
		private final int nw;
		// bounding box of both surfaces, inclusive bounds
		private int i0 = Integer.MAX_VALUE, i1 = -1, j0 = Integer.MAX_VALUE, j1 = -1, k0 = Integer.MAX_VALUE, k1 = -1;
		private int bi, bj;

		Transform(final BinaryMask from, final BinaryMask to, final Cancellation cancel, final ProgressListener progress) {
			this.from = from;
			this.to = to;
			this.cancel = cancel;
			this.progress = progress;
			final double[] s = from.spacing();
			w0 = s[0] * s[0];
			w1 = s[1] * s[1];
			w2 = s[2] * s[2];
			nw = from.wordsPerRow();
		}

		void run(final double[] out) {
			includeInBox(from);
			includeInBox(to);
			bi = i1 - i0 + 1;
			bj = j1 - j0 + 1;
			final int columns = bi * bj;

			// The `to` voxels as sorted k lists per (i, j) column of the box.
			final int[] colStart = new int[columns + 1];
			forEachVoxel(to, (i, j, k) -> colStart[column(i, j) + 1]++);
			for (int c = 0; c < columns; c++)
				colStart[c + 1] += colStart[c];
			final int[] colK = new int[colStart[columns]];
			final int[] cursor = Arrays.copyOf(colStart, columns);
			forEachVoxel(to, (i, j, k) -> colK[cursor[column(i, j)]++] = k);
			System.arraycopy(colStart, 0, cursor, 0, columns);

			final double[] slice = new double[columns];
			final double[] rowsDone = new double[columns];
			final boolean[] needColumn = new boolean[bi];
			final int[] v = new int[Math.max(bi, bj)];
			final double[] z = new double[Math.max(bi, bj) + 1];
			final int slices = k1 - k0 + 1;
			int n = 0;
			for (int k = k0; k <= k1; k++) {
				cancel.check("surface distance computation");
				if (hasVoxelsInSlice(from, k)) {
					// squared distance along k to the nearest `to` voxel of each column
					for (int c = 0; c < columns; c++) {
						int p = cursor[c];
						final int end = colStart[c + 1];
						while (p < end && colK[p] < k)
							p++;
						cursor[c] = p;
						int dk = Integer.MAX_VALUE;
						if (p < end) dk = colK[p] - k;
						if (p > colStart[c]) dk = Math.min(dk, k - colK[p - 1]);
						slice[c] = dk == Integer.MAX_VALUE ? Double.POSITIVE_INFINITY : w2 * dk * (double) dk;
					}
					for (int jj = 0; jj < bj; jj++)
						envelope(slice, jj * bi, 1, bi, w0, rowsDone, v, z);
					Arrays.fill(needColumn, false);
					for (int j = j0; j <= j1; j++)
						forEachBitInRow(from, j, k, i -> needColumn[i - i0] = true);
					for (int ii = 0; ii < bi; ii++)
						if (needColumn[ii]) envelope(rowsDone, ii, bi, bj, w1, slice, v, z);
					for (int j = j0; j <= j1; j++) {
						final int jj = j;
						final int[] count = { n };
						forEachBitInRow(from, j, k, i -> out[count[0]++] = Math.sqrt(slice[column(i, jj)]));
						n = count[0];
					}
				}
				progress.progress("surface distances", k - k0 + 1, slices);
			}
		}

		private int column(final int i, final int j) {
			return i - i0 + bi * (j - j0);
		}

		private void includeInBox(final BinaryMask m) {
			final long[] words = m.words();
			for (int k = 0; k < m.size(2); k++)
				for (int j = 0; j < m.size(1); j++) {
					final int row = m.rowStart(j, k);
					int first = -1, last = -1;
					for (int w = 0; w < nw; w++)
						if (words[row + w] != 0) {
							if (first < 0) first = w;
							last = w;
						}
					if (first < 0) continue;
					i0 = Math.min(i0, first * 64 + Long.numberOfTrailingZeros(words[row + first]));
					i1 = Math.max(i1, last * 64 + 63 - Long.numberOfLeadingZeros(words[row + last]));
					j0 = Math.min(j0, j);
					j1 = Math.max(j1, j);
					k0 = Math.min(k0, k);
					k1 = Math.max(k1, k);
				}
		}

		private boolean hasVoxelsInSlice(final BinaryMask m, final int k) {
			final long[] words = m.words();
			final int start = m.rowStart(j0, k), end = m.rowStart(j1, k) + nw;
			for (int w = start; w < end; w++)
				if (words[w] != 0) return true;
			return false;
		}

		private void forEachVoxel(final BinaryMask m, final VoxelAction action) {
			for (int k = k0; k <= k1; k++)
				for (int j = j0; j <= j1; j++) {
					final int jj = j, kk = k;
					forEachBitInRow(m, j, k, i -> action.accept(i, jj, kk));
				}
		}

		private void forEachBitInRow(final BinaryMask m, final int j, final int k, final IndexAction action) {
			final long[] words = m.words();
			final int row = m.rowStart(j, k);
			for (int w = 0; w < nw; w++) {
				long bits = words[row + w];
				while (bits != 0) {
					action.accept(w * 64 + Long.numberOfTrailingZeros(bits));
					bits &= bits - 1;
				}
			}
		}
	}

	/**
	 * One line of the separable transform: {@code out[q] = min over p of f[p] + weight·(q − p)²}
	 * for the {@code n} samples at {@code offset + q·stride} (Felzenszwalb–Huttenlocher lower
	 * envelope). Infinite samples take no part; a line without finite samples stays +∞.
	 *
	 * @param v scratch, at least n
	 * @param z scratch, at least n + 1
	 */
	static void envelope(final double[] f, final int offset, final int stride, final int n, final double weight,
			final double[] out, final int[] v, final double[] z) {
		int top = -1;
		for (int q = 0; q < n; q++) {
			final double fq = f[offset + q * stride];
			if (fq == Double.POSITIVE_INFINITY) continue;
			if (top < 0) {
				top = 0;
				v[0] = q;
				z[0] = Double.NEGATIVE_INFINITY;
				continue;
			}
			final double hq = fq + weight * q * (double) q;
			double s;
			while (true) {
				final int p = v[top];
				final double hp = f[offset + p * stride] + weight * p * (double) p;
				s = (hq - hp) / (2 * weight * (q - p));
				// z[0] is −∞, so the bottom parabola is never removed
				if (s <= z[top]) top--;
				else break;
			}
			top++;
			v[top] = q;
			z[top] = s;
		}
		if (top < 0) {
			for (int q = 0; q < n; q++)
				out[offset + q * stride] = Double.POSITIVE_INFINITY;
			return;
		}
		z[top + 1] = Double.POSITIVE_INFINITY;
		int r = 0;
		for (int q = 0; q < n; q++) {
			while (z[r + 1] < q)
				r++;
			final int p = v[r];
			final double d = q - p;
			out[offset + q * stride] = f[offset + p * stride] + weight * d * d;
		}
	}

	@FunctionalInterface
	private interface VoxelAction {
		void accept(int i, int j, int k);
	}

	@FunctionalInterface
	private interface IndexAction {
		void accept(int i);
	}
}
