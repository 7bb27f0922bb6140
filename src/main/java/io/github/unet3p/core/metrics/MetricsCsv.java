package io.github.unet3p.core.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The evaluation report as CSV: the header {@value #HEADER}, one row per case in the order added,
 * then a row named {@code global}.
 *
 * <p>Values use fixed decimals and a '.' whatever the default locale (6 decimals for dice, voe and
 * rvd, 4 for the millimetre columns). An undefined value (an empty mask, see {@link CaseMetrics})
 * is an empty field, and the {@code note} column says why; the note is empty for an ordinary case.
 * The global row holds the global Dice (voxels pooled over all cases) and the means of the other
 * metrics over the cases where they are defined; its note says so and gives the mean Dice per case.
 *
 * <p>NB: {@code note} is the last column so readers that take the first seven columns by position
 * see the values alone.
 */
public final class MetricsCsv {

	/** The header line. */
	public static final String HEADER = "case,dice,voe,rvd,assd_mm,mssd_mm,hd95_mm,note";

	/** The name of the global row. */
	public static final String GLOBAL_ROW = "global";

	private MetricsCsv() {}

	/**
	 * Writes the report to {@code target} atomically: a reader sees the old file or the whole new
	 * one.
	 *
	 * @throws InvalidInputException naming the file if it cannot be written
	 */
	public static void write(final Path target, final GlobalMetrics metrics) {
		final byte[] bytes = format(metrics).getBytes(StandardCharsets.UTF_8);
		try {
			AtomicFiles.write(target, bytes);
		}
		catch (final IOException e) {
			throw new InvalidInputException("cannot write the metrics CSV " + target + ": " + e.getMessage() + "; expected a writable file path", e);
		}
	}

	/** The report as text, lines ending in '\n'. */
	public static String format(final GlobalMetrics metrics) {
		final StringBuilder s = new StringBuilder(HEADER).append('\n');
		for (final GlobalMetrics.CaseResult c : metrics.cases()) {
			s.append(field(c.name()));
			for (final LitsMetric m : LitsMetric.values())
				s.append(',').append(m.format(m.of(c.metrics())));
			s.append(',').append(field(c.metrics().emptyNote())).append('\n');
		}
		s.append(GLOBAL_ROW);
		for (final LitsMetric m : LitsMetric.values())
			s.append(',').append(m.format(metrics.globalValue(m)));
		s.append(',').append(field(metrics.note())).append('\n');
		return s.toString();
	}

	/** A text field, quoted as RFC 4180 asks when it holds a comma, quote or line break. */
	static String field(final String text) {
		if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return text;
		return '"' + text.replace("\"", "\"\"") + '"';
	}
}
