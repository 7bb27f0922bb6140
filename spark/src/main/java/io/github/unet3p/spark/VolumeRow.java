package io.github.unet3p.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One line of {@code summary.csv}: what became of one volume.
 *
 * @param volume the input
 * @param status {@link #SEGMENTED}, {@link #SKIPPED} or {@link #FAILED}
 * @param message the line {@code UNet3+ Segment Files} prints for it, or why it failed or was skipped
 * @param slices the volume's slices, -1 when not read
 * @param seconds the task's wall time (reading, segmenting, writing), 0 when skipped
 * @param executor the executor that ran it ({@code id@host}), empty when skipped
 * @param foregroundMl the foreground volume in millilitres (not in the CSV; it is in the message)
 */
record VolumeRow(String volume, String status, String message, long slices, double seconds, String executor, double foregroundMl) implements Serializable {

	/** Status of a volume written by this run. */
	static final String SEGMENTED = "segmented";
	/** Status of a volume whose label file existed ({@code skip_existing=true}). */
	static final String SKIPPED = "skipped";
	/** Status of a volume that could not be read or segmented. */
	static final String FAILED = "failed";
	/** The CSV header. */
	static final String HEADER = "volume,status,message,slices,seconds,executor";

	/** The summary CSV: the header, then one line per row, lines ending in '\n'. */
	static String csv(final List<VolumeRow> rows) {
		final StringBuilder s = new StringBuilder(HEADER).append('\n');
		for (final VolumeRow r : rows)
			s.append(field(r.volume)).append(',').append(r.status).append(',').append(field(r.message)).append(',')
					.append(r.slices < 0 ? "" : Long.toString(r.slices)).append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds)).append(',')
					.append(field(r.executor)).append('\n');
		return s.toString();
	}

	/** A text field, quoted as RFC 4180 asks when it holds a comma, quote or line break. */
	static String field(final String text) {
		if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return text;
		return '"' + text.replace("\"", "\"\"") + '"';
	}
}
