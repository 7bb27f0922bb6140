package io.github.unet3p.core.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.FolderLock;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.model.EngineArrays;

/**
 * Trains a UNet3+ on prepared slices and writes a model bundle. Every epoch: one pass over the
 * shuffled training slices, validation loss and seed Dice, a CSV row, the bundle's weights
 * replaced when the validation Dice improves, and a checkpoint for {@code resume=true}.
 *
 * <p>NB: a resumed run repeats an uninterrupted one: the epoch order, the augmentation and the
 * dropout stream are functions of (seed, epoch) and the checkpoint holds the weights, BatchNorm
 * statistics and Adam moments of the last finished epoch.
 */
public final class Trainer {

	/** Folder inside the bundle for the log and checkpoints. */
	public static final String TRAINING_DIR = "training";
	/** The per-epoch log inside {@link #TRAINING_DIR}. */
	public static final String LOG_FILE = "log.csv";
	private static final String CHECKPOINT = "checkpoint.json";
	/** Key in {@link #CHECKPOINT}: the trajectory settings the checkpoint was trained with. */
	private static final String SETTINGS = "settings";
	/** Written by UNet3+ Preprocess beside images/ and mask/: how the slices were prepared. */
	public static final String PREPARATION_FILE = io.github.unet3p.core.preprocess.PreparationRecord.FILE;

	private final TrainSettings settings;
	private final ProgressListener progress;
	private final Cancellation cancel;
	private final EpochListener epochs;

	/** A trainer for {@code settings}, reporting to {@code progress}, stopped by {@code cancel}. */
	public Trainer(final TrainSettings settings, final ProgressListener progress, final Cancellation cancel) {
		this(settings, progress, cancel, EpochListener.NONE);
	}

	/** A trainer that also tells {@code epochs} about every finished epoch. */
	public Trainer(final TrainSettings settings, final ProgressListener progress, final Cancellation cancel, final EpochListener epochs) {
		this.settings = settings;
		this.progress = progress;
		this.cancel = cancel;
		this.epochs = epochs;
	}

	/**
	 * Runs the training to its end (epochs or early stopping).
	 *
	 * @throws InvalidInputException for bad data or settings, an occupied model folder, or a loss
	 *           that became NaN/Inf (the best weights stay as they were)
	 * @throws io.github.unet3p.core.util.CancelledException when cancelled (after the current
	 *           batch; the best weights and last checkpoint stay intact)
	 */
	public TrainingResult run() throws IOException, InterruptedException {
		final Path modelDir = settings.model();
		final Path trainingDir = modelDir.resolve(TRAINING_DIR);
		final SliceDataset train = SliceDataset.open(settings.train(), settings.architecture(ModelSpec.DEFAULT_SIZE).classes(), settings.cache());
		final SliceDataset val = SliceDataset.open(settings.validation(), settings.architecture(ModelSpec.DEFAULT_SIZE).classes(), settings.cache());
		if (train.width() != train.height())
			throw new InvalidInputException("Training slices in " + settings.train() + " are " + train.width() + "×" + train.height() + "; UNet3+ needs square slices.");
		if (val.width() != train.width() || val.height() != train.height())
			throw new InvalidInputException("Validation slices (" + val.width() + "×" + val.height() + ") differ in size from training slices (" + train.width() + "×"
					+ train.height() + ").");
		if (train.width() % 16 != 0 || train.width() < 32)
			throw new InvalidInputException("Training slices in " + settings.train() + " are " + train.width() + "×" + train.height()
					+ " pixels; UNet3+ needs a multiple of 16 (at least 32). Prepare them again with UNet3+ Preprocess and size=" + Math.max(32, Math.round(train.width() / 16f) * 16) + ".");
		final ModelSpec spec = settings.architecture(train.width());
		final PreparationSpec prep = preparation(settings.train(), spec.size());
		final List<Device> devices = DeviceSelection.parse(settings.devices()).resolve(TorchEngine.get().getGpuCount());
		final boolean resuming = settings.resume() && Files.isRegularFile(trainingDir.resolve(CHECKPOINT));
		if (!settings.resume() && (ModelBundle.isBundle(modelDir) || Files.isRegularFile(trainingDir.resolve(CHECKPOINT))
				|| Files.isRegularFile(trainingDir.resolve(LOG_FILE))))
			throw new InvalidInputException("Model folder " + modelDir + " already holds a model; choose a new folder, or resume=true to continue it.");
		Files.createDirectories(trainingDir);
		try (FolderLock lock = FolderLock.acquire(trainingDir, "Another training run is writing into " + modelDir + "; wait for it or choose another model folder.")) {
			return loop(spec, prep, train, val, modelDir, trainingDir, resuming, devices);
		}
	}

	private TrainingResult loop(final ModelSpec spec, final PreparationSpec prep, final SliceDataset train, final SliceDataset val, final Path modelDir,
			final Path trainingDir, final boolean resuming, final List<Device> devices) throws IOException, InterruptedException {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		final LossKind lossKind = settings.loss();
		final boolean deep = spec.variant().hasDeepSupervision();
		final boolean cgm = spec.variant().hasClassificationGuide();
		final DeepSupervisionLoss loss = new DeepSupervisionLoss(lossKind.create(), deep ? 5 : 1, cgm);
		try (NDManager root = TorchEngine.get().newBaseManager(devices.get(0)); KerasAdam adam = new KerasAdam(settings.learningRate(), settings.clipNorm(), root)) {
			// NB: PyTorch's grad mode is per thread and on by default; DJL turns it off only in the
			// thread that started the engine. Off here, gradients are recorded only inside the
			// GradientCollector of a training step, never during validation.
			TorchEngine.setGradientRecording(false);
			net.initialize(root, settings.seed());
			final List<Parameter> params = new ArrayList<>();
			for (final Pair<String, Parameter> p : net.block().getParameters())
				params.add(p.getValue());
			final List<Parameter> trainable = new ArrayList<>();
			for (final Parameter p : params)
				if (p.requiresGradient()) {
					p.getArray().setRequiresGradient(true);
					trainable.add(p);
				}
			final ParameterStore store = new ParameterStore(root, false);
			// NB: a data-parallel step's copies of the weights live in sub-managers of root and are freed with it.
			final BatchStep batchStep = BatchStep.create(new StepObjective(net, loss), adam, trainable, devices, root);
			final JsonObject trajectory = trajectory(spec);
			int firstEpoch = 0;
			int bestEpoch = -1;
			double bestDice = -1;
			TrainingLog log = new TrainingLog(trainingDir.resolve(LOG_FILE));
			if (resuming) {
				final JsonObject state = JsonParser.parseString(Files.readString(trainingDir.resolve(CHECKPOINT), StandardCharsets.UTF_8)).getAsJsonObject();
				requireSameTrajectory(state, trajectory, modelDir);
				final Path dir = trainingDir.resolve(state.get("folder").getAsString());
				ModelWeights.load(net, dir.resolve(ModelBundle.WEIGHTS_FILE));
				try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve("optimizer.bin")))) {
					adam.load(new DataInputStream(in), trainable, dir.resolve("optimizer.bin").toString());
				}
				firstEpoch = state.get("epoch").getAsInt() + 1;
				bestEpoch = state.get("best_epoch").getAsInt();
				bestDice = state.get("best_dice").getAsDouble();
				log = TrainingLog.read(trainingDir.resolve(LOG_FILE), firstEpoch);
				progress.message(String.format(Locale.ROOT, "Resuming %s after epoch %d (best validation Dice %.4f at epoch %d).", modelDir, firstEpoch, bestDice, bestEpoch + 1));
			}
			final int batches = (train.size() + settings.batch() - 1) / settings.batch();
			long batchNanos = 0, waitNanos = 0, images = 0, timedBatches = 0;
			String stop = "completed";
			for (int epoch = firstEpoch; epoch < settings.epochs(); epoch++) {
				if (epoch - bestEpoch > settings.patience() && bestEpoch >= 0) {
					stop = "early_stopping";
					break;
				}
				final long epochStart = System.nanoTime();
				TorchEngine.get().setRandomSeed((int) (settings.seed() * 1000 + epoch));
				double lossSum = 0;
				int seen = 0;
				try (BatchLoader loader = new BatchLoader(train, shuffle(train.size(), settings.seed(), epoch), settings.batch(), spec.classes(),
						settings.augmentation(), settings.seed(), epoch, settings.workers(), 3)) {
					for (int b = 0; loader.hasNext(); b++) {
						cancel.check("Training");
						final long t0 = System.nanoTime();
						final long waitBefore = loader.waitNanos();
						final TrainingBatch batch = loader.next();
						final double value = step(batchStep, batch, epoch, b);
						lossSum += value * batch.size();
						seen += batch.size();
						if (!(epoch == firstEpoch && b == 0)) {
							batchNanos += System.nanoTime() - t0;
							waitNanos += loader.waitNanos() - waitBefore;
							images += batch.size();
							timedBatches++;
						}
						progress.progress(String.format(Locale.ROOT, "Epoch %d/%d, loss %.4f", epoch + 1, settings.epochs(), lossSum / seen), b + 1, batches);
					}
				}
				if (settings.bnRecalibrate() > 0) {
					progress.progress("Recalibrating BatchNorm", 0, 1);
					try (BatchLoader loader = new BatchLoader(train, shuffle(train.size(), settings.seed() + 1, epoch), settings.batch(), spec.classes(),
							Augmentation.NONE, settings.seed(), epoch, settings.workers(), 3)) {
						BatchNormRecalibration.run(net, store, root, loader, settings.bnRecalibrate());
					}
					progress.progress("Recalibrating BatchNorm", 1, 1);
				}
				final double[] validation = validate(net, store, loss, root, val, spec, epoch);
				// NB: the last update of an epoch can make the weights non-finite with a finite batch loss
				// (or the BatchNorm moving statistics, used only here); such weights must never become "best".
				if (!Double.isFinite(validation[0]))
					throw new InvalidInputException(String.format(Locale.ROOT,
							"Training diverged: the validation loss is %s after epoch %d. The best model so far is unchanged; try a lower learning_rate.",
							validation[0], epoch + 1));
				final double seconds = (System.nanoTime() - epochStart) / 1e9;
				final TrainingLog.Row row = new TrainingLog.Row(epoch, lossSum / seen, validation[0], validation[1], seconds);
				log.add(row);
				if (validation[1] > bestDice) {
					bestDice = validation[1];
					bestEpoch = epoch;
					ModelWeights.save(net.block(), modelDir.resolve(ModelBundle.WEIGHTS_FILE));
					new ModelBundle(spec, prep, record(epoch, bestEpoch, bestDice, "running", 0, 0)).writeSpec(modelDir);
				}
				checkpoint(net, adam, trainable, trainingDir, epoch, bestEpoch, bestDice, trajectory);
				epochs.epochEnded(row, bestEpoch == epoch);
				progress.message(String.format(Locale.ROOT, "Epoch %d/%d: train loss %.4f, val loss %.4f, val Dice %.4f%s (%.1f s)", epoch + 1, settings.epochs(),
						lossSum / seen, validation[0], validation[1], bestEpoch == epoch ? " (best)" : "", seconds));
			}
			final double latencyMs = timedBatches == 0 ? 0 : batchNanos / 1e6 / timedBatches;
			final double throughput = batchNanos == 0 ? 0 : images / (batchNanos / 1e9);
			final double waitFraction = batchNanos == 0 ? 0 : waitNanos / (double) batchNanos;
			if (bestEpoch >= 0) new ModelBundle(spec, prep, record(log.rows().size() - 1, bestEpoch, bestDice, stop, latencyMs, throughput)).writeSpec(modelDir);
			progress.message(String.format(Locale.ROOT, "Data loader wait: %.1f%% of the batch time", 100 * waitFraction));
			progress.message(String.format(Locale.ROOT, "Training latency: %.1f msec", latencyMs));
			progress.message(String.format(Locale.ROOT, "Training throughput/FPS: %.2f samples/sec", throughput));
			return new TrainingResult(log.rows(), bestEpoch, bestDice, stop, latencyMs, throughput, waitFraction);
		}
	}

	/**
	 * One optimisation step on whichever devices {@code batchStep} uses; returns the batch loss.
	 *
	 * @throws InvalidInputException when the loss is not finite (the step then left the weights unchanged)
	 */
	private static double step(final BatchStep batchStep, final TrainingBatch batch, final int epoch, final int index) {
		final double value = batchStep.step(batch);
		if (!Double.isFinite(value))
			throw new InvalidInputException(String.format(Locale.ROOT,
					"Training diverged: the loss is %s at epoch %d, batch %d. The best model so far is unchanged; try a lower learning_rate.", value, epoch + 1,
					index + 1));
		return value;
	}

	/** Validation loss (all outputs, inference mode) and mean seed Dice of d1. */
	private double[] validate(final UNet3PlusNet net, final ParameterStore store, final DeepSupervisionLoss loss, final NDManager root,
			final SliceDataset val, final ModelSpec spec, final int epoch) throws InterruptedException {
		final int[] order = new int[val.size()];
		for (int i = 0; i < order.length; i++)
			order[i] = i;
		double lossSum = 0;
		final SeedDice.Mean dice = new SeedDice.Mean();
		try (BatchLoader loader = new BatchLoader(val, order, settings.batch(), spec.classes(), Augmentation.NONE, settings.seed(), epoch, settings.workers(), 3)) {
			for (int b = 0; loader.hasNext(); b++) {
				cancel.check("Training");
				final TrainingBatch batch = loader.next();
				try (NDManager sub = root.newSubManager()) {
					final NDArray x = EngineArrays.create(sub, batch.images(), new Shape(batch.size(), 3, batch.height(), batch.width()));
					final NDArray y = EngineArrays.create(sub, batch.targets(), new Shape(batch.size(), batch.classes(), batch.height(), batch.width()));
					final NDList out = net.forward(store, x, false, true);
					out.attach(sub);
					final NDArray total = loss.evaluate(new NDList(y), out).add(net.l2Penalty(sub, true));
					total.attach(sub);
					lossSum += total.getFloat() * batch.size();
					dice.addAll(SeedDice.counts(y, out.head()));
				}
				progress.progress("Validation", b + 1, loader.batches());
			}
		}
		return new double[] { lossSum / val.size(), dice.value() };
	}

	/** Saves weights, optimizer state and counters of a finished epoch, then points the checkpoint file at them. */
	private static void checkpoint(final UNet3PlusNet net, final KerasAdam adam, final List<Parameter> trainable, final Path trainingDir, final int epoch,
			final int bestEpoch, final double bestDice, final JsonObject trajectory) throws IOException {
		final String folder = "checkpoint-" + epoch;
		final Path dir = trainingDir.resolve(folder);
		Files.createDirectories(dir);
		ModelWeights.save(net.block(), dir.resolve(ModelBundle.WEIGHTS_FILE));
		AtomicFiles.write(dir.resolve("optimizer.bin"), out -> {
			final DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
			adam.save(dos, trainable);
			dos.flush();
		});
		final JsonObject state = new JsonObject();
		state.addProperty("folder", folder);
		state.addProperty("epoch", epoch);
		state.addProperty("best_epoch", bestEpoch);
		state.addProperty("best_dice", bestDice);
		state.add(SETTINGS, trajectory);
		AtomicFiles.write(trainingDir.resolve(CHECKPOINT), state.toString().getBytes(StandardCharsets.UTF_8));
		// Only the checkpoint the file points at is kept.
		try (var old = Files.list(trainingDir)) {
			for (final Path p : (Iterable<Path>) old::iterator) {
				final String name = p.getFileName().toString();
				if (name.startsWith("checkpoint-") && !name.equals(folder) && Files.isDirectory(p)) deleteTree(p);
			}
		}
	}

	/**
	 * The settings that decide a run's trajectory (architecture, batch, learning rate, loss, seed,
	 * augmentation, clipping, BatchNorm recalibration), as the keys a user types. NB: epochs,
	 * patience, workers and devices are left out on purpose: extending a run or changing how it is
	 * executed is a legitimate resume.
	 */
	private JsonObject trajectory(final ModelSpec spec) {
		final JsonObject t = new JsonObject();
		t.addProperty("variant", spec.variant().key());
		t.addProperty("backbone", spec.backbone().key());
		t.addProperty("filters", spec.filters());
		t.addProperty("classes", spec.classes());
		t.addProperty("size", spec.size());
		t.addProperty("batch", settings.batch());
		t.addProperty("learning_rate", settings.learningRate());
		t.addProperty("loss", settings.loss().key());
		t.addProperty("seed", settings.seed());
		t.addProperty("augment", settings.augmentation().key());
		t.addProperty("clip_norm", settings.clipNorm());
		t.addProperty("bn_recalibrate", settings.bnRecalibrate());
		return t;
	}

	/**
	 * Refuses to resume a checkpoint written with other trajectory settings (a resumed run must
	 * repeat the interrupted one, not silently become a different run). Checkpoints written before
	 * the settings were recorded are accepted as they are.
	 */
	private static void requireSameTrajectory(final JsonObject state, final JsonObject now, final Path modelDir) {
		if (!state.has(SETTINGS) || !state.get(SETTINGS).isJsonObject()) return;
		final JsonObject then = state.getAsJsonObject(SETTINGS);
		final List<String> changed = new ArrayList<>();
		for (final String key : now.keySet()) {
			final JsonElement before = then.get(key);
			if (before != null && !before.equals(now.get(key))) changed.add(key + "=" + before + " (now " + now.get(key) + ")");
		}
		if (!changed.isEmpty())
			throw new InvalidInputException("Cannot resume " + modelDir + ": its checkpoint was trained with " + String.join(", ", changed)
					+ ". Resume with the checkpoint's settings, or train into a new model folder.");
	}

	private static void deleteTree(final Path dir) throws IOException {
		try (var files = Files.walk(dir)) {
			for (final Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
		}
	}

	private JsonObject record(final int lastEpoch, final int bestEpoch, final double bestDice, final String stop, final double latencyMs,
			final double throughput) {
		final JsonObject t = new JsonObject();
		t.addProperty("train", settings.train().toAbsolutePath().toString());
		t.addProperty("validation", settings.validation().toAbsolutePath().toString());
		t.addProperty("epochs", settings.epochs());
		t.addProperty("epochs_completed", lastEpoch + 1);
		t.addProperty("best_epoch", bestEpoch + 1);
		t.addProperty("best_val_dice", bestDice);
		t.addProperty("stopped", stop);
		t.addProperty("batch", settings.batch());
		t.addProperty("learning_rate", settings.learningRate());
		t.addProperty("optimizer", "adam (keras: beta1 0.9, beta2 0.999, epsilon 1e-7)");
		t.addProperty("loss", settings.loss().key());
		t.addProperty("l2", UNet3PlusNet.L2);
		t.addProperty("seed", settings.seed());
		t.addProperty("patience", settings.patience());
		t.addProperty("augment", settings.augmentation().key());
		t.addProperty("clip_norm", settings.clipNorm());
		t.addProperty("bn_recalibrate", settings.bnRecalibrate());
		t.addProperty("training_latency_ms", latencyMs);
		t.addProperty("training_throughput", throughput);
		t.addProperty("djl_version", Engine.getDjlVersion());
		t.addProperty("pytorch_version", TorchEngine.get().getVersion());
		t.addProperty("log", TRAINING_DIR + "/" + LOG_FILE);
		return t;
	}

	/** The preparation recorded by UNet3+ Preprocess beside the slices, or the seed's defaults. */
	private PreparationSpec preparation(final Path data, final int size) throws IOException {
		final Path file = data.resolve(PREPARATION_FILE);
		if (!Files.isRegularFile(file)) {
			progress.message("No " + PREPARATION_FILE + " in " + data + "; assuming the seed's preparation (HU -200..250, rot90, k-1/k/k+1).");
			return new PreparationSpec(-200, 250, size);
		}
		try {
			final JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
			final PreparationSpec p = new PreparationSpec(o.get("hu_min").getAsDouble(), o.get("hu_max").getAsDouble(), o.get("size").getAsInt());
			if (p.size() != size) throw new InvalidInputException(file + " says size " + p.size() + " but the slices are " + size + " pixels.");
			return p;
		}
		catch (final RuntimeException e) {
			if (e instanceof InvalidInputException) throw e;
			throw new InvalidInputException(file + " is not a valid preparation record: " + e.getMessage());
		}
	}

	/** The epoch's order of {@code n} slices: a Fisher–Yates shuffle seeded by (seed, epoch). */
	static int[] shuffle(final int n, final long seed, final int epoch) {
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		final SplittableRandom random = new SplittableRandom(seed * 0x632BE59BD9B4E019L + epoch);
		for (int i = n - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		return order;
	}
}
