package io.github.unet3p.core.train;

import com.google.gson.JsonObject;

import ai.djl.engine.Engine;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;

/** What a training run writes about itself: the trajectory its checkpoint keeps and the bundle's training record. */
final class RunRecord {

	private RunRecord() {}

	/**
	 * The settings that decide a run's trajectory (architecture, batch, learning rate, loss, seed,
	 * augmentation, clipping, BatchNorm recalibration), as the keys a user types. NB: epochs,
	 * patience, workers and devices are left out on purpose: extending a run or changing how it is
	 * executed is a legitimate resume.
	 */
	static JsonObject trajectory(final TrainSettings settings, final ModelSpec spec, final int bnBatches) {
		final JsonObject t = new JsonObject();
		t.addProperty(TrainKeys.VARIANT, spec.variant().key());
		t.addProperty(TrainKeys.BACKBONE, spec.backbone().key());
		t.addProperty(TrainKeys.FILTERS, spec.filters());
		t.addProperty(TrainKeys.CLASSES, spec.classes());
		t.addProperty(TrainKeys.SIZE, spec.size());
		t.addProperty(TrainKeys.BATCH, settings.batch());
		t.addProperty(TrainKeys.LEARNING_RATE, settings.learningRate());
		t.addProperty(TrainKeys.LOSS, settings.loss().key());
		t.addProperty(TrainKeys.SEED, settings.seed());
		t.addProperty(TrainKeys.AUGMENT, settings.augmentation().key());
		t.addProperty(TrainKeys.CLIP_NORM, settings.clipNorm());
		t.addProperty(TrainKeys.BN_RECALIBRATE, bnBatches);
		settings.init().ifPresent(p -> t.addProperty(TrainKeys.INIT, p.toAbsolutePath().toString()));
		return t;
	}

	/** The training record of the bundle's {@code unet3p.json} after epoch {@code lastEpoch}. */
	static JsonObject training(final TrainSettings settings, final int bnBatches, final JsonObject initRecord, final int lastEpoch, final BestModel best,
			final String stop, final double latencyMs, final double throughput) {
		final JsonObject t = new JsonObject();
		t.addProperty(TrainKeys.TRAIN, settings.train().toAbsolutePath().toString());
		t.addProperty(TrainKeys.VALIDATION, settings.validation().toAbsolutePath().toString());
		t.addProperty(TrainKeys.EPOCHS, settings.epochs());
		t.addProperty("epochs_completed", lastEpoch + 1);
		t.addProperty("best_epoch", best.epoch() + 1);
		t.addProperty("best_val_dice", best.dice());
		t.addProperty("stopped", stop);
		t.addProperty(TrainKeys.BATCH, settings.batch());
		t.addProperty(TrainKeys.LEARNING_RATE, settings.learningRate());
		t.addProperty("optimizer", "adam (keras: beta1 0.9, beta2 0.999, epsilon 1e-7)");
		t.addProperty(TrainKeys.LOSS, settings.loss().key());
		t.addProperty("l2", UNet3PlusNet.L2);
		t.addProperty(TrainKeys.SEED, settings.seed());
		t.addProperty(TrainKeys.PATIENCE, settings.patience());
		t.addProperty(TrainKeys.AUGMENT, settings.augmentation().key());
		t.addProperty(TrainKeys.CLIP_NORM, settings.clipNorm());
		t.addProperty(TrainKeys.BN_RECALIBRATE, bnBatches);
		if (initRecord != null) t.add(TrainKeys.INIT, initRecord);
		t.addProperty("training_latency_ms", latencyMs);
		t.addProperty("training_throughput", throughput);
		t.addProperty("djl_version", Engine.getDjlVersion());
		t.addProperty("pytorch_version", TorchEngine.get().getVersion());
		t.addProperty("log", Trainer.TRAINING_DIR + "/" + Trainer.LOG_FILE);
		return t;
	}
}
