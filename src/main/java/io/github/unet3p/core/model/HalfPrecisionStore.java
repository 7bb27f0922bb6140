package io.github.unet3p.core.model;

import java.util.HashMap;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Hands the forward pass float16 copies of a network's parameters (weights, biases, BatchNorm
 * statistics), made once on first use on {@code manager}, for half-precision inference. The
 * network's own float32 parameters are left as they are.
 *
 * <p>NB: inference only: the copies never change, so a network whose weights change afterwards
 * needs a new store. DJL's blocks cannot cast themselves ({@code Block.cast} throws in DJL
 * 0.36), hence a store.
 */
public final class HalfPrecisionStore extends ParameterStore {

	private final NDManager manager;
	private final Map<String, NDArray> copies = new HashMap<>();

	/** A store whose copies live on {@code manager} (and are freed with it). */
	public HalfPrecisionStore(final NDManager manager) {
		super(manager, false);
		this.manager = manager;
	}

	@Override
	public synchronized NDArray getValue(final Parameter parameter, final Device device, final boolean training) {
		if (parameter == null) return null;
		if (training) throw new IllegalStateException("half-precision parameters are for inference only");
		return copies.computeIfAbsent(parameter.getId(), id -> {
			final NDArray half = parameter.getArray().toDevice(device, false).toType(DataType.FLOAT16, true);
			half.attach(manager);
			return half;
		});
	}
}
