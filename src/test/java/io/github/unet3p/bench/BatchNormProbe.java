package io.github.unet3p.bench;

import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.train.Augmentation;
import io.github.unet3p.core.train.BatchLoader;
import io.github.unet3p.core.train.SeedDice;
import io.github.unet3p.core.train.SliceDataset;
import io.github.unet3p.core.train.TrainingBatch;

/**
 * Diagnoses a low validation Dice during training: scores a weights file on a validation folder
 * twice, with BatchNorm's moving statistics (what validation and inference use) and with each
 * batch's own statistics (what training uses). A large gap means the moving averages (Keras
 * momentum 0.99) have not caught up yet, not that the weights are poor.
 * {@code BatchNormProbe MODEL_FOLDER WEIGHTS_FILE VALIDATION_FOLDER BATCH}.
 */
public final class BatchNormProbe {

	private BatchNormProbe() {}

	public static void main(final String[] args) throws Exception {
		final Path model = Path.of(args[0]), weights = Path.of(args[1]), val = Path.of(args[2]);
		final int batch = Integer.parseInt(args[3]);
		final ModelBundle bundle = ModelBundle.read(model);
		final SliceDataset data = SliceDataset.open(val, bundle.architecture().classes(), true);
		for (final boolean batchStats : new boolean[] { false, true }) {
			try (NDManager root = TorchEngine.get().newBaseManager()) {
				final UNet3PlusNet net = UNet3Plus.builder().setSpec(bundle.architecture()).build();
				net.initialize(root, 0);
				ModelWeights.load(net, weights);
				final ParameterStore store = new ParameterStore(root, false);
				final SeedDice.Mean dice = new SeedDice.Mean();
				final int[] order = new int[data.size()];
				for (int i = 0; i < order.length; i++)
					order[i] = i;
				try (BatchLoader loader = new BatchLoader(data, order, batch, bundle.architecture().classes(), Augmentation.NONE, 0, 0, 1, 2)) {
					while (loader.hasNext()) {
						final TrainingBatch b = loader.next();
						try (NDManager sub = root.newSubManager()) {
							final NDArray x = sub.create(b.images(), new Shape(b.size(), 3, b.height(), b.width()));
							final NDArray y = sub.create(b.targets(), new Shape(b.size(), b.classes(), b.height(), b.width()));
							final NDList out = net.forward(store, x, batchStats, false);
							out.attach(sub);
							dice.addAll(SeedDice.counts(y, out.head()));
						}
					}
				}
				System.out.printf("%s statistics: seed Dice %.4f over %d slices%n", batchStats ? "batch" : "moving", dice.value(), dice.images());
			}
		}
	}
}
