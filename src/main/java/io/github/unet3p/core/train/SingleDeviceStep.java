package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.TorchEngine;

/**
 * The whole batch on one device (the CPU or one GPU): forward, loss, backward, Adam — the step
 * UNet3+ Train has always taken, now on the device of the master weights' manager.
 */
final class SingleDeviceStep implements BatchStep {

	private final StepObjective objective;
	private final KerasAdam adam;
	private final List<Parameter> trainable;
	private final NDManager root;
	private final ParameterStore store;

	SingleDeviceStep(final StepObjective objective, final KerasAdam adam, final List<Parameter> trainable, final NDManager root) {
		this.objective = objective;
		this.adam = adam;
		this.trainable = trainable;
		this.root = root;
		this.store = new ParameterStore(root, false);
	}

	@Override
	public double step(final TrainingBatch batch) {
		final double value = gradients(batch);
		if (Double.isFinite(value)) adam.update(trainable);
		else discardGradients(trainable);
		return value;
	}

	/** The loss of {@code batch}, with its gradients left on the parameters when it is finite. */
	double gradients(final TrainingBatch batch) {
		try (NDManager sub = root.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
			final NDArray total = objective.evaluate(store, batch, 0, batch.size(), 1, true, sub);
			final double value = Scalars.value(total);
			if (Double.isFinite(value)) gc.backward(total);
			return value;
		}
	}

	/** Zeroes the gradients of {@code parameters}' arrays (PyTorch accumulates them otherwise). */
	static void discardGradients(final List<Parameter> parameters) {
		for (final Parameter p : parameters)
			JniUtils.zeroGrad((PtNDArray) p.getArray());
	}

	@Override
	public List<Device> devices() {
		return List.of(root.getDevice());
	}

	@Override
	public void close() {
		// nothing of its own: the weights belong to the network, the batch arrays to each step
	}
}
