package io.github.unet3p.core.bench;

import java.util.List;
import java.util.Locale;

import io.github.unet3p.core.model.Mode;
import io.github.unet3p.core.model.ModelSpec;

/**
 * The figures of one benchmark run.
 *
 * @param mode inference or training
 * @param spec the benchmarked architecture (with its input size)
 * @param batch images per step
 * @param warmup untimed steps
 * @param steps timed steps
 * @param totalSeconds wall time of the timed steps together
 * @param latencyMs mean time of one timed step (one batch), in milliseconds:
 *          {@code 1000 · totalSeconds / steps}
 * @param throughput images per second over the timed steps: {@code batch · steps / totalSeconds}
 *          (printed with two decimals, or three significant digits below 1)
 */
public record BenchmarkResult(Mode mode, ModelSpec spec, int batch, int warmup, int steps, double totalSeconds, double latencyMs, double throughput) {

	/**
	 * The seed's two output lines: {@code Latency: X msec} and {@code Throughput/FPS: Y samples/sec}
	 * for inference, {@code Training latency: X msec} and
	 * {@code Training throughput/FPS: Y samples/sec} for training.
	 */
	public List<String> lines() {
		final String prefix = mode == Mode.TRAINING ? "Training " : "";
		final String latency = String.format(Locale.ROOT, "%slatency: %.2f msec", prefix, latencyMs);
		final String fps = String.format(Locale.ROOT, "%sthroughput/FPS: " + (throughput >= 1 ? "%.2f" : "%.3g") + " samples/sec", prefix, throughput);
		return List.of(capitalise(latency), capitalise(fps));
	}

	private static String capitalise(final String s) {
		return Character.toUpperCase(s.charAt(0)) + s.substring(1);
	}
}
