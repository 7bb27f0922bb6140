package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * Keras' kernel initialisers, drawn from an explicit seed in Java so that the same seed gives
 * bitwise-identical weights on every machine and thread (no engine-global random state).
 *
 * <p>Fans follow Keras for a convolution kernel, stored by DJL as (out, in, kh, kw):
 * {@code fan_in = in·kh·kw}, {@code fan_out = out·kh·kw}.
 */
final class RandInit {

	/** Standard deviation of a unit normal truncated to [−2, 2] (TensorFlow's correction constant). */
	static final double TRUNCATED_STD = 0.87962566103423978;

	private RandInit() {}

	/**
	 * Keras {@code he_normal}: a normal truncated at ±2σ', σ' = sqrt(2 / fan_in) / 0.8796…, so that
	 * the values' standard deviation is sqrt(2 / fan_in).
	 */
	static Initializer heNormal(final long seed) {
		return (manager, shape, type) -> {
			final double sigma = Math.sqrt(2.0 / fanIn(shape)) / TRUNCATED_STD;
			final SplittableRandom random = new SplittableRandom(seed);
			final float[] v = new float[Math.toIntExact(shape.size())];
			for (int i = 0; i < v.length; i++) {
				double g;
				do
					g = random.nextGaussian();
				while (Math.abs(g) > 2);
				v[i] = (float) (g * sigma);
			}
			return create(manager, v, shape, type);
		};
	}

	/** Keras {@code glorot_uniform}: uniform on ±sqrt(6 / (fan_in + fan_out)). */
	static Initializer glorotUniform(final long seed) {
		return (manager, shape, type) -> {
			final double limit = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
			final SplittableRandom random = new SplittableRandom(seed);
			final float[] v = new float[Math.toIntExact(shape.size())];
			for (int i = 0; i < v.length; i++)
				v[i] = (float) ((2 * random.nextDouble() - 1) * limit);
			return create(manager, v, shape, type);
		};
	}

	static long fanIn(final Shape kernel) {
		return kernel.size() / kernel.get(0);
	}

	static long fanOut(final Shape kernel) {
		return kernel.size() / kernel.get(1);
	}

	private static NDArray create(final NDManager manager, final float[] v, final Shape shape, final DataType type) {
		final NDArray a = EngineArrays.create(manager, v, shape);
		return type == DataType.FLOAT32 ? a : a.toType(type, false);
	}
}
