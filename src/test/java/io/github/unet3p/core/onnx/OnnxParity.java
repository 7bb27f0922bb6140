package io.github.unet3p.core.onnx;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

/** Seeded networks with non-trivial BatchNorm statistics and their PyTorch probabilities, for ONNX parity checks. */
public final class OnnxParity {

	private OnnxParity() {}

	/**
	 * A network of {@code spec} initialised from {@code seed}, then every BatchNorm given random
	 * gamma (0.5…1.5), beta (±0.2), moving mean (±0.3) and moving variance (0.5…2), so that the
	 * export of every BatchNorm term is exercised.
	 */
	public static UNet3PlusNet network(final ModelSpec spec, final NDManager manager, final long seed) {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		net.initialize(manager, seed);
		final SplittableRandom random = new SplittableRandom(seed ^ 0x5eed);
		for (final Pair<String, Parameter> p : net.block().getParameters()) {
			final Parameter.Type type = p.getValue().getType();
			final double lo, hi;
			switch (type) {
				case GAMMA -> { lo = 0.5; hi = 1.5; }
				case BETA -> { lo = -0.2; hi = 0.2; }
				case RUNNING_MEAN -> { lo = -0.3; hi = 0.3; }
				case RUNNING_VAR -> { lo = 0.5; hi = 2.0; }
				default -> { continue; }
			}
			final NDArray a = p.getValue().getArray();
			final float[] v = new float[(int) a.size()];
			for (int i = 0; i < v.length; i++)
				v[i] = (float) (lo + (hi - lo) * random.nextDouble());
			a.set(v);
		}
		return net;
	}

	/**
	 * Sets the CGM convolution's bias to ±1000 so that its argmax, the gate, is {@code gate} for
	 * every input.
	 */
	public static void forceGate(final UNet3PlusNet net, final int gate) {
		for (final Pair<String, Parameter> p : net.block().getParameters())
			if (p.getKey().contains("cgm") && p.getValue().getType() == Parameter.Type.BIAS) {
				p.getValue().getArray().set(gate == 1 ? new float[] { -1000, 1000 } : new float[] { 1000, -1000 });
				return;
			}
		throw new IllegalArgumentException("no CGM bias in " + net.spec());
	}

	/** Uniform 0…1 input (batch, 3, size, size) from {@code seed}. */
	public static float[] input(final int batch, final int size, final long seed) {
		final SplittableRandom random = new SplittableRandom(seed);
		final float[] x = new float[batch * 3 * size * size];
		for (int i = 0; i < x.length; i++)
			x[i] = (float) random.nextDouble();
		return x;
	}

	/** The network's inference probabilities on the PyTorch engine. */
	public static float[] torch(final UNet3PlusNet net, final NDManager manager, final float[] x, final int batch) {
		final int size = net.spec().size();
		try (NDManager scope = manager.newSubManager()) {
			final NDArray in = scope.create(x, new Shape(batch, 3, size, size));
			final NDList out = net.infer(new ParameterStore(scope, false), in);
			out.attach(scope);
			return out.head().toFloatArray();
		}
	}

	/** Largest absolute difference of two equally long arrays. */
	public static double maxAbs(final float[] a, final float[] b) {
		if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
		double m = 0;
		for (int i = 0; i < a.length; i++)
			m = Math.max(m, Math.abs((double) a[i] - b[i]));
		return m;
	}
}
