package io.github.unet3p.core.train;

/** The training speed of a run: time per batch, images per second, and the share spent waiting for the loader. */
final class TrainingTimer {

	private long batchNanos;
	private long waitNanos;
	private long images;
	private long batches;

	/** Adds one timed batch of {@code size} images that took {@code nanos}, {@code wait} of them waiting for data. */
	void add(final long nanos, final long wait, final int size) {
		batchNanos += nanos;
		waitNanos += wait;
		images += size;
		batches++;
	}

	/** Mean milliseconds per batch (0 before any). */
	double latencyMs() {
		return batches == 0 ? 0 : batchNanos / 1e6 / batches;
	}

	/** Images per second (0 before any). */
	double throughput() {
		return batchNanos == 0 ? 0 : images / (batchNanos / 1e9);
	}

	/** Fraction of the batch time spent waiting for the loader. */
	double waitFraction() {
		return batchNanos == 0 ? 0 : waitNanos / (double) batchNanos;
	}
}
