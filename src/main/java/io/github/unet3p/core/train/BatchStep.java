package io.github.unet3p.core.train;

import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

/**
 * One optimisation step on one batch: forward pass, loss, backward pass and one optimizer update.
 * The training loop holds one and calls {@link #step} per batch; it does not know whether the
 * batch runs on one device ({@link SingleDeviceStep}) or is split across several
 * ({@link DataParallelStep}).
 *
 * <p>Precondition for every implementation: the network's parameters (the master copy the
 * optimizer updates, saves and validates with) live on the first device, and so do the
 * optimizer's moments.
 */
public interface BatchStep extends AutoCloseable {

	/**
	 * Computes the loss of {@code batch} and its gradients and, when the loss is finite, applies one
	 * optimizer update. A non-finite loss leaves the weights and the optimizer state unchanged and
	 * discards the gradients; the caller decides what a non-finite loss means.
	 *
	 * @return the batch loss (the loss of the whole batch, the L2 penalty included)
	 */
	double step(TrainingBatch batch);

	/** The devices this step runs on, the first holding the master weights. */
	List<Device> devices();

	/** Frees the per-device copies of the weights, if any (the master weights stay). */
	@Override
	void close();

	/**
	 * The step for {@code devices}: {@link SingleDeviceStep} for one device, {@link DataParallelStep}
	 * for several.
	 *
	 * @param root the manager of the master weights, on {@code devices.get(0)}; per-batch and
	 *            per-device arrays are created in sub-managers of it
	 */
	static BatchStep create(final StepObjective objective, final KerasAdam adam, final List<Parameter> trainable, final List<Device> devices,
			final NDManager root) {
		if (devices.isEmpty()) throw new IllegalArgumentException("no device to train on");
		if (!root.getDevice().equals(devices.get(0)))
			throw new IllegalArgumentException("the master weights' manager is on " + root.getDevice() + ", not on the first device " + devices.get(0));
		return devices.size() == 1 ? new SingleDeviceStep(objective, adam, trainable, root) : new DataParallelStep(objective, adam, trainable, devices, root);
	}
}
