package io.github.unet3p.core.metrics;

/**
 * One-line, human-readable summaries of the metrics for a console or log, following the same
 * rules as {@link MetricsCsv}: fixed decimals, "undefined" where the CSV has an empty field, and
 * the empty-mask note.
 */
public final class MetricsText {

	private MetricsText() {}

	/**
	 * For example {@code volume-3: dice 0.951200, voe 0.093000, rvd 0.012000, assd 1.2300 mm, mssd
	 * 20.1000 mm, hd95 4.5000 mm}, followed by the empty-mask note when there is one.
	 */
	public static String line(final String name, final CaseMetrics metrics) {
		final StringBuilder s = new StringBuilder(name).append(':');
		values(s, metrics);
		final String note = metrics.emptyNote();
		if (!note.isEmpty()) s.append(" (").append(note).append(')');
		return s.toString();
	}

	/** The global row: global Dice, the means, and how they were computed. */
	public static String global(final GlobalMetrics metrics) {
		final StringBuilder s = new StringBuilder(MetricsCsv.GLOBAL_ROW).append(':');
		boolean first = true;
		for (final LitsMetric m : LitsMetric.values()) {
			s.append(first ? " " : ", ");
			first = false;
			append(s, m, metrics.globalValue(m));
		}
		return s.append(" (").append(metrics.note()).append(')').toString();
	}

	private static void values(final StringBuilder s, final CaseMetrics metrics) {
		boolean first = true;
		for (final LitsMetric m : LitsMetric.values()) {
			s.append(first ? " " : ", ");
			first = false;
			append(s, m, m.of(metrics));
		}
	}

	private static void append(final StringBuilder s, final LitsMetric m, final double v) {
		final String name = m.column().endsWith("_mm") ? m.column().substring(0, m.column().length() - 3) : m.column();
		s.append(name).append(' ');
		if (Double.isNaN(v)) s.append("undefined");
		else s.append(m.format(v)).append(m.column().endsWith("_mm") ? " mm" : "");
	}
}
