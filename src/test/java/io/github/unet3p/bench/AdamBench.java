package io.github.unet3p.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.train.KerasAdam;

/**
 * The optimizer step alone: {@link KerasAdam} (one fused native call per parameter) against the
 * same Keras formula written as separate DJL array operations (how KerasAdam computed it before),
 * interleaved in one process on the trainable parameters of a UNet3+ ({@code unet3plus} encoder),
 * with a fresh random gradient before every step. Prints the median time of each and their ratio,
 * and the largest difference between the two updated weight sets after the same steps.
 *
 * <p>{@code AdamBench [size [filters [rounds]]]}, default 160 32 7.
 */
public final class AdamBench {

	private AdamBench() {}

	public static void main(final String[] args) {
		final int size = args.length > 0 ? Integer.parseInt(args[0]) : 160;
		final int filters = args.length > 1 ? Integer.parseInt(args[1]) : 32;
		final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
		try (NDManager root = TorchEngine.get().newBaseManager()) {
			final List<Parameter> fused = parameters(root, size, filters);
			final List<Parameter> separate = parameters(root, size, filters);
			long count = 0;
			for (final Parameter p : fused)
				count += p.getArray().size();
			final double lr = 1e-3;
			final long[] fusedNs = new long[rounds];
			final long[] separateNs = new long[rounds];
			try (KerasAdam adam = new KerasAdam(lr, 0, root); OpByOpAdam reference = new OpByOpAdam(lr, root)) {
				for (int r = 0; r < rounds; r++) {
					gradients(root, fused, r);
					long t0 = System.nanoTime();
					adam.update(fused);
					fusedNs[r] = System.nanoTime() - t0;
					gradients(root, separate, r);
					t0 = System.nanoTime();
					reference.update(separate);
					separateNs[r] = System.nanoTime() - t0;
				}
			}
			double maxDiff = 0;
			for (int i = 0; i < fused.size(); i++) {
				final float[] a = fused.get(i).getArray().toFloatArray();
				final float[] b = separate.get(i).getArray().toFloatArray();
				for (int k = 0; k < a.length; k++)
					maxDiff = Math.max(maxDiff, Math.abs(a[k] - b[k]));
			}
			final double f = median(fusedNs) / 1e6, s = median(separateNs) / 1e6;
			System.out.printf(Locale.ROOT, "parameters: %,d in %d arrays (%dx%d, width %d)%n", count, fused.size(), size, size, filters);
			System.out.printf(Locale.ROOT, "Adam step, fused (KerasAdam): median %.1f ms of %d%n", f, rounds);
			System.out.printf(Locale.ROOT, "Adam step, op by op (reference): median %.1f ms of %d%n", s, rounds);
			System.out.printf(Locale.ROOT, "speed-up: %.2fx; largest weight difference after %d steps: %.3g%n", s / f, rounds, maxDiff);
		}
	}

	private static List<Parameter> parameters(final NDManager root, final int size, final int filters) {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(size).build()).build();
		net.initialize(root, 5);
		final List<Parameter> trainable = new ArrayList<>();
		for (final Parameter p : net.block().getParameters().values())
			if (p.requiresGradient()) {
				p.getArray().setRequiresGradient(true);
				trainable.add(p);
			}
		return trainable;
	}

	/** Gives every parameter the gradient of sum(w · r) = r, r ~ N(0, 1e-3²) seeded by {@code round}. */
	private static void gradients(final NDManager root, final List<Parameter> parameters, final int round) {
		root.getEngine().setRandomSeed(round);
		try (NDManager sub = root.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
			NDArray total = null;
			for (final Parameter p : parameters) {
				final NDArray r = sub.randomNormal(0, 1e-3f, p.getArray().getShape(), p.getArray().getDataType());
				final NDArray term = r.mul(p.getArray()).sum();
				total = total == null ? term : total.add(term);
			}
			gc.backward(total);
		}
	}

	private static double median(final long[] values) {
		final long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	/** The Keras Adam update as separate array operations (the reference being timed against). */
	private static final class OpByOpAdam implements AutoCloseable {
		private final double lr;
		private final NDManager manager;
		private final java.util.Map<String, NDArray[]> moments = new java.util.HashMap<>();
		private long step;

		OpByOpAdam(final double lr, final NDManager manager) {
			this.lr = lr;
			this.manager = manager.newSubManager();
		}

		void update(final List<Parameter> parameters) {
			step++;
			final double correction = Math.sqrt(1 - StrictMath.pow(0.999, step)) / (1 - StrictMath.pow(0.9, step));
			try (NDManager scope = manager.newSubManager()) {
				for (final Parameter p : parameters) {
					final NDArray w = p.getArray();
					final NDArray g = w.getGradient();
					final NDArray[] mv = moments.computeIfAbsent(p.getId(), id -> new NDArray[] { manager.zeros(w.getShape()), manager.zeros(w.getShape()) });
					final NDArray gm = g.mul(0.1);
					final NDArray g2 = g.square();
					mv[0].muli(0.9).addi(gm);
					mv[1].muli(0.999).addi(g2.muli(0.001));
					final NDArray root = mv[1].sqrt();
					final NDArray delta = mv[0].div(root.addi(1e-7)).muli(lr * correction);
					w.subi(delta);
					g.muli(0);
					for (final NDArray t : new NDArray[] { gm, g2, root, delta })
						t.close();
				}
			}
		}

		@Override
		public void close() {
			manager.close();
		}
	}
}
