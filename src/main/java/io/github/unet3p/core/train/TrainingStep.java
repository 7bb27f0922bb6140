package io.github.unet3p.core.train;

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
import io.github.unet3p.core.model.EngineArrays;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * One optimisation step on one batch: forward pass in training mode, the deep-supervision loss plus
 * the L2 penalty, backward pass, Adam update. Each batch's arrays live in a sub-manager of
 * {@code root} that closes with the step.
 */
final class TrainingStep {

	private final UNet3PlusNet net;
	private final ParameterStore store;
	private final DeepSupervisionLoss loss;
	private final KerasAdam adam;
	private final List<Parameter> trainable;
	private final NDManager root;

	TrainingStep(final UNet3PlusNet net, final ParameterStore store, final DeepSupervisionLoss loss, final KerasAdam adam, final List<Parameter> trainable,
		final NDManager root) {
		this.net = net;
		this.store = store;
		this.loss = loss;
		this.adam = adam;
		this.trainable = trainable;
		this.root = root;
	}

	/**
	 * One optimisation step; returns the batch loss.
	 *
	 * @throws InvalidInputException when the loss is not finite: the run stops there, naming the
	 *           epoch, the batch and its slices; the best model and the last checkpoint are those
	 *           of the last finished epoch
	 */
	float run(final SliceDataset train, final TrainingBatch batch, final int epoch, final int index) {
		try (NDManager sub = root.newSubManager()) {
			final NDArray x = EngineArrays.create(sub, batch.images(), new Shape(batch.size(), 3, batch.height(), batch.width()));
			final NDArray y = EngineArrays.create(sub, batch.targets(), new Shape(batch.size(), batch.classes(), batch.height(), batch.width()));
			final float value;
			try (GradientCollector gc = TorchEngine.get().newGradientCollector()) {
				final NDList out = net.forward(store, x, true, true);
				out.attach(sub);
				final NDArray total = loss.evaluate(new NDList(y), out).add(net.l2Penalty(sub, true));
				total.attach(sub);
				value = total.getFloat();
				if (!Float.isFinite(value)) throw diverged(value, train, batch, epoch, index);
				gc.backward(total);
			}
			adam.update(trainable);
			return value;
		}
	}

	/** The message of a run stopped by a non-finite batch loss. */
	private static InvalidInputException diverged(final double value, final SliceDataset train, final TrainingBatch batch, final int epoch,
			final int index) {
		final List<String> files = new ArrayList<>();
		for (final String id : batch.sliceIds())
			files.add("image_" + id + ".png");
		return new InvalidInputException(String.format(Locale.ROOT,
				"Training diverged: the loss is %s at epoch %d, batch %d (slices %s in %s). The best model and the last checkpoint (the last finished epoch) are kept; try a lower learning_rate.",
				value, epoch + 1, index + 1, String.join(", ", files), train.folder().resolve("images")));
	}
}
