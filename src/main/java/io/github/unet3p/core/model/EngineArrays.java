package io.github.unet3p.core.model;

import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Java data handed to the engine as arrays whose memory PyTorch allocated itself.
 *
 * <p>NB: DJL's {@code manager.create(float[])} wraps a Java direct buffer: the tensor's memory is
 * malloc'ed by the JVM, aligned to 16 bytes only, at an address that depends on what the JVM freed
 * before (timing-dependent), and freed by the JVM's cleaner, not by PyTorch. A copy made by
 * PyTorch is 64-byte aligned and owned by the tensor, so every batch reaches the kernels in the
 * same form and no tensor can outlive its memory. The copy costs one pass over the batch, small
 * next to one convolution.
 */
public final class EngineArrays {

	private EngineArrays() {}

	/** {@code data} as a float32 array of {@code shape} on {@code manager}, in PyTorch-owned memory. */
	public static NDArray create(final NDManager manager, final float[] data, final Shape shape) {
		return owned(manager, staging -> staging.create(data, shape));
	}

	/** {@code data} as a float64 array of {@code shape} on {@code manager}, in PyTorch-owned memory. */
	public static NDArray create(final NDManager manager, final double[] data, final Shape shape) {
		return owned(manager, staging -> staging.create(data, shape));
	}

	/** A PyTorch copy, on {@code manager}, of the array {@code wrap} makes over Java memory on a staging manager. */
	private static NDArray owned(final NDManager manager, final Function<NDManager, NDArray> wrap) {
		try (NDManager staging = manager.newSubManager()) {
			final NDArray owned = wrap.apply(staging).duplicate();
			owned.attach(manager);
			return owned;
		}
	}
}
