package io.github.unet3p.core.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time this process has used (user + system, every thread, native ones included), from
 * Linux's {@code /proc/self/stat}; {@code -1} elsewhere.
 *
 * <p>NB: on a shared machine the wall time of a benchmark depends on the other jobs, its CPU time
 * much less; benchmarks report both, so that runs measured under load can still be compared.
 */
final class ProcessCpu {

	/** Linux's USER_HZ, the unit of {@code /proc/self/stat}'s times (100 on every common build). */
	private static final long TICKS_PER_SECOND = 100;

	private ProcessCpu() {}

	/** User + system CPU time of this process in nanoseconds, or {@code -1} when it cannot be read. */
	static long nanos() {
		try {
			final String stat = Files.readString(Path.of("/proc/self/stat"));
			// fields after the command name, which is in parentheses and may hold spaces
			final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / TICKS_PER_SECOND);
		}
		catch (final IOException | RuntimeException e) {
			return -1;
		}
	}

	/** {@code "; CPU X msec per batch"} for the CPU time since {@code start} over {@code steps}, or {@code ""} when unknown. */
	static String perStep(final long start, final int steps) {
		final long now = nanos();
		if (start < 0 || now < 0) return "";
		return String.format(java.util.Locale.ROOT, "CPU: %.2f msec per batch (process user + system time over the timed steps)", (now - start) / 1e6 / steps);
	}
}
