package io.github.unet3p.core.train;

import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.Scalars;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;

/** Test helper: the first batch a run takes, and the loss a bundle's weights give it. */
final class FirstBatch {

	private FirstBatch() {}

	/**
	 * The training objective (default loss, L2, training-mode BatchNorm) of {@code bundleFolder}'s
	 * weights on the first batch of {@code batch} slices that a run with {@code seed} and no
	 * augmentation draws from {@code train}.
	 */
	static float lossOfBundle(final Path bundleFolder, final Path train, final long seed, final int batch) throws Exception {
		final ModelBundle bundle = ModelBundle.read(bundleFolder);
		final ModelSpec spec = bundle.architecture();
		final SliceDataset slices = SliceDataset.open(train, spec.classes(), false);
		final int outputs = spec.variant().hasDeepSupervision() ? 5 : 1;
		try (NDManager m = TorchEngine.get().newBaseManager();
				BatchLoader loader = new BatchLoader(slices, Trainer.shuffle(slices.size(), seed, 0), batch, spec.classes(), Augmentation.NONE, seed, 0, 1, 1);
				NDManager sub = m.newSubManager()) {
			final UNet3PlusNet net = bundle.loadNetwork(bundleFolder, m);
			final StepObjective objective = new StepObjective(net, new DeepSupervisionLoss(LossKind.DEFAULT.create(), outputs, false));
			final TrainingBatch first = loader.next();
			final NDArray total = objective.evaluate(new ParameterStore(m, false), first, 0, first.size(), 1, true, sub);
			return (float) Scalars.value(total);
		}
	}

	/** The first batch loss a finished run logged in its {@code batches.csv}. */
	static float loggedLoss(final Path model) throws Exception {
		final String first = BatchLossLog.read(model.resolve(Trainer.TRAINING_DIR).resolve(BatchLossLog.FILE)).get(1);
		return Float.parseFloat(first.split(",")[2]);
	}
}
