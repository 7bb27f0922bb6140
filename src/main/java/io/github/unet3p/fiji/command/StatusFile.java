package io.github.unet3p.fiji.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.scijava.log.LogService;

import io.github.unet3p.core.util.AtomicFiles;

/**
 * The status file a batch job reads to tell whether a command succeeded: when the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV} names a file, every UNet3+ command
 * writes one line to it, atomically: {@code running: <command>} when it starts, then {@code ok} or
 * {@code failed: <message>} when it ends.
 *
 * <p>NB: Fiji's {@code --headless --run} exits 0 whatever a command does (SciJava's startup
 * operations only log what goes wrong), so neither its exit status nor its output is a reliable
 * signal; a file written last, by the command itself, is. "running" is written first so that a
 * killed JVM never leaves the "ok" of an earlier run behind.
 */
public final class StatusFile {

	/** The system property naming the status file (wins over {@link #ENV}). */
	public static final String PROPERTY = "unet3p.status.file";
	/** The environment variable naming the status file. */
	public static final String ENV = "UNET3P_STATUS_FILE";

	private StatusFile() {}

	/** The status file asked for, or {@code null} when none is. */
	public static Path location() {
		String name = System.getProperty(PROPERTY);
		if (name == null || name.isBlank()) name = System.getenv(ENV);
		return name == null || name.isBlank() ? null : Path.of(name);
	}

	/** Records that {@code title} started. */
	static void running(final String title, final LogService log) {
		write("running: " + title, log);
	}

	/** Records success. */
	static void ok(final LogService log) {
		write("ok", log);
	}

	/** Records a failure with its user-facing message (kept on one line). */
	static void failed(final String message, final LogService log) {
		write("failed: " + (message == null ? "canceled" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ")), log);
	}

	private static void write(final String line, final LogService log) {
		final Path file = location();
		if (file == null) return;
		try {
			AtomicFiles.write(file, (line + "\n").getBytes(StandardCharsets.UTF_8));
		}
		catch (final IOException e) {
			if (log != null) log.error("Cannot write the status file " + file + " (" + PROPERTY + " / " + ENV + "): " + e);
		}
	}
}
