package io.github.unet3p.core.metrics;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The per-case values reported for every case, in CSV column order, with their column names and
 * printed precision.
 */
public enum LitsMetric {

	/** Dice coefficient. */
	DICE("dice", 6, CaseMetrics::dice),
	/** Volumetric overlap error, 1 − Jaccard. */
	VOE("voe", 6, CaseMetrics::voe),
	/** Signed relative volume difference. */
	RVD("rvd", 6, CaseMetrics::rvd),
	/** Average symmetric surface distance, mm. */
	ASSD("assd_mm", 4, CaseMetrics::assdMm),
	/** Maximum symmetric surface distance, mm. */
	MSSD("mssd_mm", 4, CaseMetrics::mssdMm),
	/** 95th percentile of the pooled surface distances, mm. */
	HD95("hd95_mm", 4, CaseMetrics::hd95Mm);

	private final String column;
	private final int decimals;
	private final ToDoubleFunction<CaseMetrics> value;

	LitsMetric(final String column, final int decimals, final ToDoubleFunction<CaseMetrics> value) {
		this.column = column;
		this.decimals = decimals;
		this.value = value;
	}

	/** The CSV column name, e.g. {@code assd_mm}. */
	public String column() {
		return column;
	}

	/** This metric of one case; NaN when undefined for it (see {@link CaseMetrics}). */
	public double of(final CaseMetrics metrics) {
		return value.applyAsDouble(metrics);
	}

	/**
	 * The value printed with fixed decimals (6 for ratios, 4 for millimetres), independent of the
	 * default locale; "" for NaN (undefined).
	 */
	public String format(final double v) {
		if (Double.isNaN(v)) return "";
		final String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
		// NB: avoid "-0.000000" for tiny negative RVDs, which reads as a sign error
		return s.matches("-0\\.0+") ? s.substring(1) : s;
	}
}
