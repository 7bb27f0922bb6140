package io.github.unet3p.bench;

import java.util.Locale;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

/**
 * The inference fast path (BatchNorm folded into the convolutions) against the plain inference
 * pass, as {@code UNet3+ Benchmark} times it ({@code unet3plus} variant and encoder, 2 classes,
 * random weights, random uniform batch): throughput of both, and the share of pixels whose
 * argmax label differs.
 *
 * <p>{@code FastPathBench [size [filters [batch [warmup [steps]]]]]}, default 160 32 4 2 8.
 */
public final class FastPathBench {

	private FastPathBench() {}

	public static void main(final String[] args) {
		final int size = args.length > 0 ? Integer.parseInt(args[0]) : 160;
		final int filters = args.length > 1 ? Integer.parseInt(args[1]) : 32;
		final int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4;
		final int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
		final int steps = args.length > 4 ? Integer.parseInt(args[4]) : 8;
		try (NDManager root = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder()
				.setSpec(ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(size).build()).build();
			net.initialize(root, 5);
			final ParameterStore ps = new ParameterStore(root, false);
			final SplittableRandom r = new SplittableRandom(5);
			final float[] v = new float[batch * 3 * size * size];
			for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
			final NDArray x = root.create(v, new Shape(batch, 3, size, size));
			final float[] exact = time("plain", net, ps, root, x, warmup, steps, batch);
			net.foldBatchNorm(root);
			final float[] fast = time("folded", net, ps, root, x, warmup, steps, batch);
			final int plane = size * size;
			long changed = 0;
			for (int b = 0; b < batch; b++)
				for (int p = 0; p < plane; p++) {
					final int i0 = b * 2 * plane + p;
					if ((exact[i0 + plane] > exact[i0]) != (fast[i0 + plane] > fast[i0])) changed++;
				}
			System.out.printf(Locale.ROOT, "labels changed by folding: %d of %d pixels (%.4f%%)%n", changed, (long) batch * plane,
					100.0 * changed / ((long) batch * plane));
		}
	}

	private static float[] time(final String what, final UNet3PlusNet net, final ParameterStore ps, final NDManager root, final NDArray x,
		final int warmup, final int steps, final int batch)
	{
		for (int i = 0; i < warmup; i++)
			try (NDManager sub = root.newSubManager()) {
				net.infer(ps, x).attach(sub);
			}
		final long t0 = System.nanoTime();
		for (int i = 0; i < steps; i++)
			try (NDManager sub = root.newSubManager()) {
				net.infer(ps, x).attach(sub);
			}
		final double seconds = (System.nanoTime() - t0) / 1e9;
		System.out.printf(Locale.ROOT, "%s inference: %.1f msec per batch, %.3f samples/sec%n", what, 1000 * seconds / steps, batch * steps / seconds);
		try (NDManager sub = root.newSubManager()) {
			return net.infer(ps, x).get(0).toFloatArray();
		}
	}
}
