package io.github.unet3p.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The line a matrix-product peak benchmark prints: the rate of the best single product (the
 * ceiling: what the CPU does when nothing else interferes), then the mean over all products.
 */
final class PeakReport {

	private PeakReport() {}

	/** {@code "<what> NxN fp32, T threads, best of R: X GFLOP/s (mean Y GFLOP/s)"}. */
	static String line(final String what, final int n, final int threads, final double[] seconds) {
		final double flop = 2.0 * n * n * n;
		final double best = Arrays.stream(seconds).min().orElseThrow();
		final double total = Arrays.stream(seconds).sum();
		return String.format(Locale.ROOT, "%s %dx%d fp32, %d threads, best of %d: %.1f GFLOP/s (mean %.1f GFLOP/s)", what, n, n, threads, seconds.length,
				flop / best / 1e9, flop * seconds.length / total / 1e9);
	}
}
