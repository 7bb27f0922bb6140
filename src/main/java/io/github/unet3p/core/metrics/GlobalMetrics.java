package io.github.unet3p.core.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The metrics of a set of cases, kept in the order they were added: the global Dice of all cases'
 * voxels pooled, as the LiTS leaderboard's "Dice global", and the mean of every per-case metric.
 * Not thread-safe: add cases from one thread.
 */
public final class GlobalMetrics {

	/**
	 * One evaluated case.
	 *
	 * @param name the case name printed in reports (e.g. the prediction's file name)
	 * @param metrics its metrics
	 */
	public record CaseResult(String name, CaseMetrics metrics) {

		/** Checks both parts are present. */
		public CaseResult {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(metrics, "metrics");
		}
	}

	private final List<CaseResult> cases = new ArrayList<>();
	private long truePositives, falsePositives, falseNegatives;

	/** Adds one case; returns this. */
	public GlobalMetrics add(final String name, final CaseMetrics metrics) {
		cases.add(new CaseResult(name, metrics));
		truePositives += metrics.truePositives();
		falsePositives += metrics.falsePositives();
		falseNegatives += metrics.falseNegatives();
		return this;
	}

	/** The cases in the order they were added (unmodifiable). */
	public List<CaseResult> cases() {
		return Collections.unmodifiableList(cases);
	}

	/** The number of cases added. */
	public int caseCount() {
		return cases.size();
	}

	/** The counts of all cases summed, as one case without surface distances would have them. */
	public long truePositives() {
		return truePositives;
	}

	/** See {@link #truePositives()}. */
	public long falsePositives() {
		return falsePositives;
	}

	/** See {@link #truePositives()}. */
	public long falseNegatives() {
		return falseNegatives;
	}

	/**
	 * Global Dice = 2·ΣTP / (Σ|P| + Σ|T|) over all cases' voxels pooled; 1 if every mask is
	 * empty, NaN if no case was added.
	 */
	public double globalDice() {
		if (cases.isEmpty()) return Double.NaN;
		final long sum = 2 * truePositives + falsePositives + falseNegatives;
		return sum == 0 ? 1 : 2.0 * truePositives / sum;
	}

	/**
	 * The mean of {@code metric} over the cases where it is defined; NaN if it is defined for none.
	 *
	 * <p>NB: a case whose value is undefined (an empty mask, see {@link CaseMetrics}) is left out of
	 * that metric's mean rather than counted as 0 or as a penalty; {@link #definedCount} says how
	 * many cases a mean covers, and the reports print it.
	 */
	public double mean(final LitsMetric metric) {
		double sum = 0;
		int n = 0;
		for (final CaseResult c : cases) {
			final double v = metric.of(c.metrics());
			if (!Double.isNaN(v)) {
				sum += v;
				n++;
			}
		}
		return n == 0 ? Double.NaN : sum / n;
	}

	/** The number of cases for which {@code metric} is defined. */
	public int definedCount(final LitsMetric metric) {
		int n = 0;
		for (final CaseResult c : cases)
			if (!Double.isNaN(metric.of(c.metrics()))) n++;
		return n;
	}

	/**
	 * The value of the global row for {@code metric}: {@link #globalDice()} for Dice, otherwise
	 * {@link #mean(LitsMetric)}.
	 */
	public double globalValue(final LitsMetric metric) {
		return metric == LitsMetric.DICE ? globalDice() : mean(metric);
	}

	/**
	 * One sentence saying how the global row was computed: pooled Dice, mean Dice per case, and
	 * which means leave cases out. It holds no comma, so the CSV needs no quoting.
	 */
	public String note() {
		final StringBuilder s = new StringBuilder();
		s.append("dice = global Dice (voxels pooled over ").append(cases.size()).append(cases.size() == 1 ? " case" : " cases");
		s.append("; mean Dice per case ").append(LitsMetric.DICE.format(mean(LitsMetric.DICE))).append(")");
		s.append("; other columns = mean over cases");
		boolean partial = false;
		for (final LitsMetric m : LitsMetric.values()) {
			final int n = definedCount(m);
			if (n < cases.size()) {
				s.append("; ").append(m.column()).append(" over ").append(n).append(" of ").append(cases.size());
				partial = true;
			}
		}
		if (partial) s.append(" (cases with an empty mask leave undefined values out)");
		return s.toString();
	}
}
