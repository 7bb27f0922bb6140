package io.github.unet3p.core.metrics;

/**
 * The LiTS metrics of one case: the voxel counts of prediction P against truth T and the surface
 * distance summaries; Dice, VOE and RVD derive from the counts.
 *
 * <p>Empty masks (NB: an explicit rule, in the spirit of MONAI's {@code ignore_empty=False}; a
 * value that is undefined is NaN here and an empty field in the CSV, never 0 or a made-up number):
 * <table>
 * <caption>What an empty mask gives</caption>
 * <tr><th>case</th><th>dice</th><th>voe</th><th>rvd</th><th>assd, mssd, hd95</th></tr>
 * <tr><td>P and T empty</td><td>1</td><td>0</td><td>0</td><td>0 (a perfect empty prediction)</td></tr>
 * <tr><td>P empty, T not</td><td>0</td><td>1</td><td>−1</td><td>undefined (NaN)</td></tr>
 * <tr><td>T empty, P not</td><td>0</td><td>1</td><td>undefined (NaN)</td><td>undefined (NaN)</td></tr>
 * </table>
 * NB: the LiTS notebook reports ASSD and MSSD as 0 when either mask is empty, which rewards
 * predicting nothing; we report them as undefined instead.
 *
 * @param truePositives voxels in P and T
 * @param falsePositives voxels in P, not in T
 * @param falseNegatives voxels in T, not in P
 * @param predictionSurfaceVoxels surface voxels of P ({@link SurfaceExtractor})
 * @param truthSurfaceVoxels surface voxels of T
 * @param assdMm average symmetric surface distance in mm: the mean of the pooled distances of both
 *        directions (P→T and T→P), as LiTS's {@code surface.py} computes it. NB: medpy's
 *        {@code assd} averages the two directional means instead; the two differ when the
 *        surfaces have different sizes.
 * @param mssdMm maximum symmetric surface distance (Hausdorff distance) in mm: the largest pooled distance
 * @param hd95Mm the 95th percentile of the pooled distances in mm, linearly interpolated between
 *        order statistics (numpy's default: rank 0.95·(n − 1) over the n sorted distances). NB: this
 *        is medpy's {@code hd95}; MONAI's 95th-percentile Hausdorff takes the larger of the two
 *        directional percentiles instead and can be larger
 */
public record CaseMetrics(long truePositives, long falsePositives, long falseNegatives, long predictionSurfaceVoxels,
		long truthSurfaceVoxels, double assdMm, double mssdMm, double hd95Mm) {

	/**
	 * Checks the counts are non-negative and the distances follow the empty-mask rule: 0 when both
	 * masks are empty, NaN when exactly one is, finite and non-negative otherwise.
	 */
	public CaseMetrics {
		if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0 || predictionSurfaceVoxels < 0 || truthSurfaceVoxels < 0)
			throw new IllegalArgumentException("voxel counts must not be negative");
		if ((predictionSurfaceVoxels == 0) != (truePositives + falsePositives == 0)
				|| (truthSurfaceVoxels == 0) != (truePositives + falseNegatives == 0))
			throw new IllegalArgumentException("a mask has a surface exactly when it has voxels");
		final boolean pEmpty = truePositives + falsePositives == 0, tEmpty = truePositives + falseNegatives == 0;
		for (final double d : new double[] { assdMm, mssdMm, hd95Mm }) {
			if (pEmpty && tEmpty && d != 0) throw new IllegalArgumentException("two empty masks have surface distances 0");
			if (pEmpty != tEmpty && !Double.isNaN(d)) throw new IllegalArgumentException("surface distances to an empty mask are undefined (NaN)");
			if (!pEmpty && !tEmpty && !(d >= 0 && Double.isFinite(d)))
				throw new IllegalArgumentException("surface distances must be finite and non-negative: " + d);
		}
	}

	/** The metrics of two empty masks: a perfect empty prediction. */
	public static CaseMetrics bothEmpty() {
		return new CaseMetrics(0, 0, 0, 0, 0, 0, 0, 0);
	}

	/** |P|: voxels of the prediction. */
	public long predictionVoxels() {
		return truePositives + falsePositives;
	}

	/** |T|: voxels of the truth. */
	public long truthVoxels() {
		return truePositives + falseNegatives;
	}

	/** Dice = 2·TP / (|P| + |T|); 1 when both masks are empty. */
	public double dice() {
		final long sum = predictionVoxels() + truthVoxels();
		return sum == 0 ? 1 : 2.0 * truePositives / sum;
	}

	/** Jaccard = TP / |P ∪ T|; 1 when both masks are empty. */
	public double jaccard() {
		final long union = truePositives + falsePositives + falseNegatives;
		return union == 0 ? 1 : (double) truePositives / union;
	}

	/** Volumetric overlap error VOE = 1 − Jaccard; 0 when both masks are empty. */
	public double voe() {
		return 1 - jaccard();
	}

	/**
	 * Relative volume difference RVD = (|P| − |T|) / |T|, signed (negative = under-segmentation);
	 * 0 when both masks are empty, NaN (undefined) when only T is empty.
	 *
	 * <p>NB: the LiTS notebook calls medpy's {@code ravd(truth, prediction)}, which divides by |P|
	 * instead; we follow the definition (|P| − |T|) / |T|.
	 */
	public double rvd() {
		final long t = truthVoxels();
		if (t == 0) return predictionVoxels() == 0 ? 0 : Double.NaN;
		return (double) (predictionVoxels() - t) / t;
	}

	/** Whether ASSD, MSSD and HD95 are defined (false when exactly one mask is empty). */
	public boolean hasSurfaceDistances() {
		return !Double.isNaN(assdMm);
	}

	/**
	 * One sentence on an empty mask and what it gives, for the CSV note column and the console; ""
	 * when both masks have voxels. It holds no comma, so the CSV needs no quoting.
	 */
	public String emptyNote() {
		final boolean pEmpty = predictionVoxels() == 0, tEmpty = truthVoxels() == 0;
		if (pEmpty && tEmpty) return "prediction and truth empty: counted as perfect (dice 1; distances 0)";
		if (pEmpty) return "prediction empty: dice 0; rvd -1; surface distances undefined";
		if (tEmpty) return "truth empty: dice 0; rvd and surface distances undefined";
		return "";
	}
}
