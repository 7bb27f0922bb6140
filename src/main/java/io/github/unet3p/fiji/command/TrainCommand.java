package io.github.unet3p.fiji.command;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.train.Augmentation;
import io.github.unet3p.core.train.LossKind;
import io.github.unet3p.core.train.TrainSettings;
import io.github.unet3p.core.train.Trainer;
import io.github.unet3p.core.train.TrainingLog;
import io.github.unet3p.core.train.TrainingResult;
import io.github.unet3p.core.util.ProgressListener;

/**
 * {@code UNet3+ Train}: trains a UNet3+ on prepared slices and writes a model bundle; with
 * {@code init}, fine-tunes the weights of an existing bundle ({@link io.github.unet3p.core.train.InitialModel}).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Train", headless = true)
public class TrainCommand extends UNet3pCommand {

	@Parameter(label = "Training data", style = "directory", description = "folder with images/ and mask/ from UNet3+ Preprocess")
	File train;

	@Parameter(label = "Validation data", style = "directory", description = "folder with images/ and mask/")
	File validation;

	@Parameter(label = "Model folder (output)", style = "directory", description = "the model bundle to write")
	File model;

	@Parameter(label = "Start from model (fine-tune)", style = "both", required = false, persist = false,
			description = "optional: a bundle (folder or .zip) from UNet3+ Train or UNet3+ Import whose weights training starts from; its architecture is used")
	File init;

	@Parameter(label = "Variant", choices = { "unet3plus", "unet3plus_deepsup", "unet3plus_deepsup_cgm" }, required = false)
	String variant = Variant.DEFAULT.key();

	@Parameter(label = "Encoder", choices = { "unet3plus", "vgg16", "vgg19" }, required = false)
	String backbone = Backbone.DEFAULT.key();

	@Parameter(label = "Filters (first-stage width)", min = "1", required = false, description = "64 is the recipe's; 16 trains on a CPU")
	int filters = ModelSpec.DEFAULT_FILTERS;

	@Parameter(label = "Classes", min = "1", required = false, description = "2 = softmax liver/background (the recipe's); 1 = sigmoid")
	int classes = ModelSpec.DEFAULT_CLASSES;

	@Parameter(label = "Epochs", min = "1", required = false)
	int epochs = TrainSettings.DEFAULT_EPOCHS;

	@Parameter(label = "Batch size", min = "1", required = false)
	int batch = TrainSettings.DEFAULT_BATCH;

	@Parameter(label = "Learning rate", required = false, description = "Adam; the recipe uses 5e-5")
	double learning_rate = TrainSettings.DEFAULT_LEARNING_RATE;

	@Parameter(label = "Loss", choices = { "hybrid", "hybrid_msssim", "focal", "ssim", "iou", "dice", "cross_entropy" }, required = false)
	String loss = LossKind.DEFAULT.key();

	@Parameter(label = "Random seed", required = false)
	long seed = TrainSettings.DEFAULT_SEED;

	@Parameter(label = "Early-stopping patience (epochs)", min = "1", required = false)
	int patience = TrainSettings.DEFAULT_PATIENCE;

	@Parameter(label = "Resume from the last checkpoint", required = false, persist = false)
	boolean resume;

	@Parameter(label = "Augmentation", choices = { "none", "light", "full" }, required = false, description = "none is the recipe's")
	String augment = Augmentation.DEFAULT.key();

	@Parameter(label = "Cache decoded slices in memory", required = false)
	boolean cache;

	@Parameter(label = "Gradient clipping (global norm, 0 = off)", required = false)
	double clip_norm = TrainSettings.DEFAULT_CLIP_NORM;

	@Parameter(label = "Devices", required = false, description = "cpu, gpu, gpu:N or all")
	String devices = TrainSettings.DEFAULT_DEVICES;

	@Parameter(label = "BatchNorm recalibration (batches)", required = false,
			description = "after every epoch, re-estimate BatchNorm statistics from this many training batches; 0 = off (the recipe's); auto (default) = 50 when an epoch has fewer than 459 batches (too few for Keras' momentum 0.99 to settle), else off")
	String bn_recalibrate = TrainSettings.DEFAULT_BN_RECALIBRATE;

	@Override
	protected void execute() throws Exception {
		final TrainSettings settings = TrainSettings.builder().setTrain(train.toPath()).setValidation(validation.toPath()).setModel(model.toPath())
				.optArchitecture(ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(filters).optClasses(classes)).optEpochs(epochs)
				.optBatch(batch).optLearningRate(learning_rate).optLoss(LossKind.fromKey(loss)).optSeed(seed).optPatience(patience).optResume(resume)
				.optAugmentation(Augmentation.fromKey(augment)).optCache(cache).optClipNorm(clip_norm).optDevices(devices).optBnRecalibrate(bn_recalibrate)
				.optInit(init == null ? null : init.toPath()).build();
		final Path trainingDir = model.toPath().resolve(Trainer.TRAINING_DIR);
		final List<TrainingLog.Row> earlier = resume ? TrainingLog.read(trainingDir.resolve(Trainer.LOG_FILE), epochs).rows() : List.of();
		final boolean live = ui != null && !ui.isHeadless() && !GraphicsEnvironment.isHeadless();
		// NB: Trainer asks DJL for the engine by name; start it through TorchEngine first, whose
		// class-loader handling makes that lookup work inside Fiji's plugin class loader.
		TorchEngine.get();
		final ProgressListener progress = progress();
		final TrainingPlot plot = new TrainingPlot("UNet3+ Train: " + model.getName(), trainingDir.resolve(TrainingPlot.FILE), live, earlier, epochs, progress);
		final TrainingResult result = new Trainer(settings, progress, cancellation(), plot).run();
		log.info(String.format(Locale.ROOT, "Best validation Dice %.4f at epoch %d; model in %s", result.bestDice(), result.bestEpoch() + 1, model));
	}
}
