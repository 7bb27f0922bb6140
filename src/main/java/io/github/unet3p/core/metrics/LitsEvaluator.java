package io.github.unet3p.core.metrics;

import java.util.Arrays;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;

/**
 * Evaluates one predicted label volume against its truth with the LiTS challenge metrics
 * ({@link CaseMetrics}).
 *
 * <p>NB: cost, measured on a 512×512×200 liver-like pair (about 3.7 million voxels and 170,000
 * surface voxels each, see {@code LitsEvaluatorBench} in the tests): about 0.5 s per case on one
 * core, linear in the voxels of the surfaces' bounding box. Memory beyond the two volumes: 4 bit
 * planes of the volume (masks and surfaces, 26 MB at 512×512×200) plus 16 bytes per surface voxel
 * and a few slice-sized buffers.
 */
public final class LitsEvaluator {

	/** Largest relative difference of a spacing component still counted as the same spacing. */
	public static final double SPACING_TOLERANCE = 1e-3;

	private LitsEvaluator() {}

	/** As {@link #evaluate(Volume, String, Volume, String, LabelRule, Cancellation, ProgressListener)}, files named "prediction" and "truth". */
	public static CaseMetrics evaluate(final Volume prediction, final Volume truth, final LabelRule rule) {
		return evaluate(prediction, "prediction", truth, "truth", rule, Cancellation.none(), ProgressListener.NONE);
	}

	/** As {@link #evaluate(Volume, String, Volume, String, LabelRule, Cancellation, ProgressListener)}, not cancellable. */
	public static CaseMetrics evaluate(final Volume prediction, final String predictionName, final Volume truth,
			final String truthName, final LabelRule rule) {
		return evaluate(prediction, predictionName, truth, truthName, rule, Cancellation.none(), ProgressListener.NONE);
	}

	/**
	 * The metrics of {@code prediction} against {@code truth}, both label volumes reduced to masks
	 * by {@code rule}.
	 *
	 * <p>NB: distances use the truth's spacing (as the LiTS notebook does); the prediction's may
	 * differ from it by {@link #SPACING_TOLERANCE} relative per axis, since a NIfTI round trip
	 * through float32 headers shifts it slightly. The affines are not compared.
	 *
	 * @param predictionName the prediction's file name, for messages
	 * @param truthName the truth's file name, for messages
	 * @throws InvalidInputException naming both files if the shapes or spacings differ
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled
	 */
	public static CaseMetrics evaluate(final Volume prediction, final String predictionName, final Volume truth,
			final String truthName, final LabelRule rule, final Cancellation cancel, final ProgressListener progress) {
		final long[] pd = prediction.dimensions(), td = truth.dimensions();
		if (!Arrays.equals(pd, td))
			throw new InvalidInputException("prediction " + predictionName + " has " + shape(pd) + " voxels but truth " + truthName
					+ " has " + shape(td) + ": expected the same shape");
		final double[] ps = prediction.geometry().spacing(), ts = truth.geometry().spacing();
		for (int d = 0; d < 3; d++)
			if (Math.abs(ps[d] - ts[d]) > SPACING_TOLERANCE * Math.max(ps[d], ts[d]))
				throw new InvalidInputException("prediction " + predictionName + " has voxel spacing " + Arrays.toString(ps) + " mm but truth "
						+ truthName + " has " + Arrays.toString(ts) + " mm: expected the same spacing (within " + SPACING_TOLERANCE + " relative)");
		cancel.check("evaluation of " + predictionName);
		final BinaryMask p = BinaryMask.of(prediction, rule).withSpacing(ts);
		cancel.check("evaluation of " + predictionName);
		final BinaryMask t = BinaryMask.of(truth, rule);
		return evaluate(p, t, cancel, progress);
	}

	/** As {@link #evaluate(BinaryMask, BinaryMask, Cancellation, ProgressListener)}, not cancellable. */
	public static CaseMetrics evaluate(final BinaryMask prediction, final BinaryMask truth) {
		return evaluate(prediction, truth, Cancellation.none(), ProgressListener.NONE);
	}

	/**
	 * The metrics of mask {@code prediction} against mask {@code truth}.
	 *
	 * @param prediction same shape and spacing as {@code truth}
	 * @throws IllegalArgumentException if shapes or spacings differ
	 */
	public static CaseMetrics evaluate(final BinaryMask prediction, final BinaryMask truth, final Cancellation cancel,
			final ProgressListener progress) {
		if (!prediction.sameShape(truth) || !Arrays.equals(prediction.spacing(), truth.spacing()))
			throw new IllegalArgumentException("masks differ: " + prediction + " vs " + truth);
		final long[] p = prediction.words(), t = truth.words();
		long tp = 0, fp = 0, fn = 0;
		for (int w = 0; w < p.length; w++) {
			tp += Long.bitCount(p[w] & t[w]);
			fp += Long.bitCount(p[w] & ~t[w]);
			fn += Long.bitCount(~p[w] & t[w]);
		}
		final boolean pEmpty = tp + fp == 0, tEmpty = tp + fn == 0;
		if (pEmpty && tEmpty) return CaseMetrics.bothEmpty();
		cancel.check("surface extraction");
		final BinaryMask sp = SurfaceExtractor.surface(prediction);
		final BinaryMask st = SurfaceExtractor.surface(truth);
		final long nsp = sp.count(), nst = st.count();
		if (pEmpty || tEmpty) return new CaseMetrics(tp, fp, fn, nsp, nst, Double.NaN, Double.NaN, Double.NaN);
		final double[] pToT = SurfaceDistances.directed(sp, st, cancel, progress);
		final double[] tToP = SurfaceDistances.directed(st, sp, cancel, progress);
		final double[] pooled = Arrays.copyOf(pToT, pToT.length + tToP.length);
		System.arraycopy(tToP, 0, pooled, pToT.length, tToP.length);
		Arrays.sort(pooled);
		double sum = 0;
		for (final double d : pooled)
			sum += d;
		return new CaseMetrics(tp, fp, fn, nsp, nst, sum / pooled.length, pooled[pooled.length - 1], percentile(pooled, 95));
	}

	/**
	 * The {@code q}-th percentile of ascending {@code sorted} values, interpolated linearly between
	 * the order statistics at rank {@code q/100·(n − 1)} (numpy's default {@code "linear"} method).
	 *
	 * @param sorted at least one value, ascending
	 * @param q in [0, 100]
	 */
	public static double percentile(final double[] sorted, final double q) {
		if (sorted.length == 0) throw new IllegalArgumentException("no values");
		if (!(q >= 0 && q <= 100)) throw new IllegalArgumentException("percentile must be in [0, 100]: " + q);
		final double rank = q / 100 * (sorted.length - 1);
		final int lo = (int) Math.floor(rank);
		final int hi = Math.min(lo + 1, sorted.length - 1);
		final double frac = rank - lo;
		return frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
	}

	private static String shape(final long[] d) {
		return d[0] + "×" + d[1] + "×" + d[2];
	}
}
