package io.github.unet3p.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

/**
 * The inference precisions ({@code fp32}, {@code fp32_folded}) and PyTorch intra-op thread counts
 * against each other, as {@code UNet3+ Benchmark} times them ({@code unet3plus} variant and
 * encoder, 2 classes, random weights, random uniform batch), in one process and interleaved: each
 * round times one forward pass of every (precision, threads) configuration in turn, so that a
 * change in the machine's load hits all of them alike; the summary gives the median per
 * configuration, its ratio to the first one, and the share of pixels whose argmax label differs
 * from the first configuration's.
 *
 * <p>{@code FastPathBench [size [filters [batch [warmup [rounds [threads,...]]]]]]}, default
 * {@code 160 32 4 2 8} and the engine's thread count. Folding is switched on and off between
 * steps ({@link UNet3PlusNet#foldBatchNorm}), outside the timed region.
 */
public final class FastPathBench {

	private FastPathBench() {}

	private record Config(Precision precision, int threads) {
		@Override
		public String toString() {
			return precision + "@" + threads + "t";
		}
	}

	public static void main(final String[] args) {
		final int size = args.length > 0 ? Integer.parseInt(args[0]) : 160;
		final int filters = args.length > 1 ? Integer.parseInt(args[1]) : 32;
		final int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4;
		final int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
		final int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 8;
		try (NDManager root = TorchEngine.get().newBaseManager()) {
			TorchEngine.setGradientRecording(false);
			final int defaultThreads = JniUtils.getNumThreads();
			final int[] threads = args.length > 5 ? Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] { defaultThreads };
			final List<Config> configs = new ArrayList<>();
			for (final int t : threads)
				for (final Precision p : Precision.values())
					configs.add(new Config(p, t));
			System.out.printf(Locale.ROOT, "FastPathBench: size %d, filters %d, batch %d, %d warm-up step(s) per configuration, %d interleaved rounds; PyTorch %s, "
					+ "default %d intra-op / %d inter-op threads; configurations %s%n", size, filters, batch, warmup, rounds, TorchEngine.get().getVersion(),
					defaultThreads, JniUtils.getNumInteropThreads(), configs);
			final UNet3PlusNet net = UNet3Plus.builder()
				.setSpec(ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(size).build()).build();
			net.initialize(root, 5);
			final ParameterStore ps = new ParameterStore(root, false);
			final SplittableRandom r = new SplittableRandom(5);
			final float[] v = new float[batch * 3 * size * size];
			for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
			final NDArray x = root.create(v, new Shape(batch, 3, size, size));
			final float[][] outputs = new float[configs.size()][];
			for (int c = 0; c < configs.size(); c++) {
				use(configs.get(c), net, root);
				for (int i = 0; i < warmup; i++) step(net, ps, root, x);
				outputs[c] = output(net, ps, root, x);
			}
			final double[][] ms = new double[configs.size()][rounds];
			for (int round = 0; round < rounds; round++) {
				final StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
				for (int c = 0; c < configs.size(); c++) {
					use(configs.get(c), net, root);
					final long t0 = System.nanoTime();
					step(net, ps, root, x);
					ms[c][round] = (System.nanoTime() - t0) / 1e6;
					line.append(String.format(Locale.ROOT, " %s %.1f ms", configs.get(c), ms[c][round]));
				}
				System.out.println(line);
			}
			JniUtils.setNumThreads(defaultThreads);
			final double base = median(ms[0]);
			final int plane = size * size;
			for (int c = 0; c < configs.size(); c++) {
				final double med = median(ms[c]);
				long changed = 0;
				double maxDiff = 0;
				for (int b = 0; b < batch; b++)
					for (int p = 0; p < plane; p++) {
						final int i0 = b * 2 * plane + p, i1 = i0 + plane;
						if ((outputs[0][i1] > outputs[0][i0]) != (outputs[c][i1] > outputs[c][i0])) changed++;
						maxDiff = Math.max(maxDiff, Math.abs(outputs[0][i0] - outputs[c][i0]));
					}
				System.out.printf(Locale.ROOT, "%s inference: median %.1f msec per batch, %.3f samples/sec, %.2fx %s; labels changed %d of %d pixels (%.4f%%), "
						+ "max |dp| %.2e%n", configs.get(c), med, batch * 1000 / med, base / med, configs.get(0), changed, (long) batch * plane,
						100.0 * changed / ((long) batch * plane), maxDiff);
				// NB: the two lines src/bench/perf_table.py reads (configurations 0 and 1: fp32 and fp32_folded at the first thread count).
				if (c < 2) System.out.printf(Locale.ROOT, "%s inference: %.1f msec per batch, %.3f samples/sec%n", c == 0 ? "plain" : "folded", med, batch * 1000 / med);
				if (c == 1) System.out.printf(Locale.ROOT, "labels changed by folding: %d of %d pixels (%.4f%%)%n", changed, (long) batch * plane,
						100.0 * changed / ((long) batch * plane));
			}
		}
	}

	private static void use(final Config config, final UNet3PlusNet net, final NDManager root) {
		JniUtils.setNumThreads(config.threads());
		if (config.precision() == Precision.FP32_FOLDED) net.foldBatchNorm(root);
		else net.unfoldBatchNorm();
	}

	private static void step(final UNet3PlusNet net, final ParameterStore ps, final NDManager root, final NDArray x) {
		try (NDManager sub = root.newSubManager()) {
			net.infer(ps, x).attach(sub);
		}
	}

	private static float[] output(final UNet3PlusNet net, final ParameterStore ps, final NDManager root, final NDArray x) {
		try (NDManager sub = root.newSubManager()) {
			final var out = net.infer(ps, x);
			out.attach(sub);
			return out.head().toFloatArray();
		}
	}

	static double median(final double[] values) {
		final double[] s = values.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}
}
