package io.github.unet3p.core.util;

/**
 * Receives progress of a long task. The Fiji side adapts it to the status bar, the launcher to a
 * console line. Implementations must be thread-safe: parallel tasks report from worker threads.
 */
public interface ProgressListener {

	/** A listener that ignores everything. */
	ProgressListener NONE = new ProgressListener() {
		@Override
		public void progress(final String task, final long done, final long total) {}

		@Override
		public void message(final String text) {}
	};

	/** {@code done} of {@code total} units of {@code task} are finished. */
	void progress(String task, long done, long total);

	/** A line of information for the user (a finished volume, an epoch summary). */
	void message(String text);

	/**
	 * Something the user should check although the work goes on (an odd label, a header that
	 * disagrees). By default a message starting with "Warning: ".
	 */
	default void warning(final String text) {
		message("Warning: " + text);
	}
}
