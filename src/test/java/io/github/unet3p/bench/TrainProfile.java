package io.github.unet3p.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.train.DeepSupervisionLoss;
import io.github.unet3p.core.train.KerasAdam;
import io.github.unet3p.core.train.LossKind;

/**
 * Where a training step's time goes (the step {@code UNet3+ Benchmark mode=training} times):
 * forward in training mode, hybrid loss + L2, backward, Adam, each timed separately.
 * {@code TrainProfile [size [filters [batch [warmup [steps]]]]]}, default 160 32 2 2 6.
 */
public final class TrainProfile {

	private TrainProfile() {}

	public static void main(final String[] args) {
		final int size = args.length > 0 ? Integer.parseInt(args[0]) : 160;
		final int filters = args.length > 1 ? Integer.parseInt(args[1]) : 32;
		final int batch = args.length > 2 ? Integer.parseInt(args[2]) : 2;
		final int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
		final int steps = args.length > 4 ? Integer.parseInt(args[4]) : 6;
		try (NDManager root = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder()
				.setSpec(ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(size).build()).build();
			net.initialize(root, 5);
			final ParameterStore store = new ParameterStore(root, false);
			final DeepSupervisionLoss loss = new DeepSupervisionLoss(LossKind.HYBRID.create(), 1, false);
			final KerasAdam adam = new KerasAdam(5e-5, 0, root);
			final List<Parameter> trainable = new ArrayList<>();
			for (final Parameter p : net.block().getParameters().values())
				if (p.requiresGradient()) {
					p.getArray().setRequiresGradient(true);
					trainable.add(p);
				}
			final NDArray x = root.randomUniform(0, 1, new Shape(batch, 3, size, size));
			final NDArray y = root.randomUniform(0, 1, new Shape(batch, 1, size, size)).gt(0.5).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
			final NDArray y2 = y.concat(y.neg().add(1), 1);
			final long[] t = new long[4];
			for (int i = 0; i < warmup + steps; i++) {
				if (i == warmup) java.util.Arrays.fill(t, 0);
				try (NDManager sub = root.newSubManager()) {
					try (GradientCollector gc = TorchEngine.get().newGradientCollector()) {
						long t0 = System.nanoTime();
						final NDList out = net.forward(store, x, true, true);
						out.attach(sub);
						long t1 = System.nanoTime();
						final NDArray total = loss.evaluate(new NDList(y2), out).add(net.l2Penalty(sub, true));
						total.attach(sub);
						total.getFloat();
						long t2 = System.nanoTime();
						gc.backward(total);
						long t3 = System.nanoTime();
						t[0] += t1 - t0;
						t[1] += t2 - t1;
						t[2] += t3 - t2;
					}
					final long t4 = System.nanoTime();
					adam.update(trainable);
					t[3] += System.nanoTime() - t4;
				}
			}
			final String[] names = { "forward (training mode)", "hybrid loss + L2", "backward", "Adam update" };
			long sum = 0;
			for (final long v : t) sum += v;
			for (int k = 0; k < 4; k++)
				System.out.printf(Locale.ROOT, "%-24s %8.1f ms/step  %5.1f%%%n", names[k], t[k] / 1e6 / steps, 100.0 * t[k] / sum);
			System.out.printf(Locale.ROOT, "%-24s %8.1f ms/step%n", "total", sum / 1e6 / steps);
		}
	}
}
