package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Arithmetic of an array with a Java number, through a scalar tensor whose memory PyTorch owns.
 * Use these instead of DJL's {@code NDArray} methods that take a {@code Number} wherever the
 * result may take part in a backward pass (losses, the network, the L2 penalty).
 *
 * <p>NB: on the CPU, DJL's {@code x.mul(2)} makes the scalar with {@code manager.create(Number)}, a
 * tensor over a JVM direct buffer (no copy), and closes it right after the operation. Autograd
 * keeps that scalar for the backward pass ({@code x·c} saves {@code c}), but nothing keeps the
 * buffer: a garbage collection between forward and backward frees it, and backward reads
 * whatever the JVM put there next. Here the scalar is first copied by PyTorch (same value, same
 * type as DJL's), so autograd's reference keeps real memory alive. The results are bit for bit
 * those of DJL's methods on an undisturbed run. {@code EngineOwnedTensorsTest} keeps DJL's
 * {@code Number} methods out of {@code core.model} and {@code core.train}.
 */
public final class Scalars {

	private Scalars() {}

	/** A 0-dimensional array holding {@code value} on {@code manager}, of the type DJL gives that Java number, in PyTorch-owned memory. */
	public static NDArray of(final NDManager manager, final Number value) {
		try (NDManager staging = manager.newSubManager()) {
			final NDArray wrapped = staging.create(value);
			final NDArray owned = wrapped.duplicate();
			owned.attach(manager);
			return owned;
		}
	}

	/** The value of a one-element floating-point array, float32 or float64, as a double. */
	public static double value(final NDArray scalar) {
		return scalar.getDataType() == DataType.FLOAT64 ? scalar.getDouble() : scalar.getFloat();
	}

	/** {@code x + value}. */
	public static NDArray add(final NDArray x, final Number value) {
		try (NDArray s = of(x.getManager(), value)) {
			return x.add(s);
		}
	}

	/** {@code x − value}. */
	public static NDArray sub(final NDArray x, final Number value) {
		try (NDArray s = of(x.getManager(), value)) {
			return x.sub(s);
		}
	}

	/** {@code x · value}. */
	public static NDArray mul(final NDArray x, final Number value) {
		try (NDArray s = of(x.getManager(), value)) {
			return x.mul(s);
		}
	}

	/** {@code x / value}. */
	public static NDArray div(final NDArray x, final Number value) {
		try (NDArray s = of(x.getManager(), value)) {
			return x.div(s);
		}
	}

	/** {@code x ^ value}. */
	public static NDArray pow(final NDArray x, final Number value) {
		try (NDArray s = of(x.getManager(), value)) {
			return x.pow(s);
		}
	}

	/** {@code x > value}, element-wise (a boolean array). */
	public static NDArray gt(final NDArray x, final Number value) {
		try (NDArray s = of(x.getManager(), value)) {
			return x.gt(s);
		}
	}
}
