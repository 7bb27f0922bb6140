package io.github.unet3p.core.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import com.google.gson.JsonObject;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
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
import io.github.unet3p.core.preprocess.PreparationRecord;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.FolderLock;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

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
	/** Written by UNet3+ Preprocess beside images/ and mask/: how the slices were prepared. */
	public static final String PREPARATION_FILE = PreparationRecord.FILE;

	private final TrainSettings settings;
	private final ProgressListener progress;
	private final Cancellation cancel;
	private final EpochListener epochs;
	/** The training record's description of the fine-tuning start ({@link InitialModel}); null for random weights. */
	private JsonObject initRecord;
	/** The batches to recalibrate BatchNorm from after every epoch (0 = off), {@code bn_recalibrate} resolved for this run. */
	private int bnBatches;

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
		final Optional<InitialModel> initial = settings.init().map(InitialModel::read);
		final ModelSpec requested = initial.map(i -> i.reconcile(settings.architecture())).orElse(settings.architecture());
		initRecord = initial.map(InitialModel::describeForRecord).orElse(null);
		final SliceDataset train = SliceDataset.open(settings.train(), requested.classes(), settings.cache());
		final SliceDataset val = SliceDataset.open(settings.validation(), requested.classes(), settings.cache());
		if (train.width() != train.height())
			throw new InvalidInputException("Training slices in " + settings.train() + " are " + train.width() + "×" + train.height() + "; UNet3+ needs square slices.");
		if (val.width() != train.width() || val.height() != train.height())
			throw new InvalidInputException("Validation slices (" + val.width() + "×" + val.height() + ") differ in size from training slices (" + train.width() + "×"
					+ train.height() + ").");
		if (train.width() % 16 != 0 || train.width() < 32)
			throw new InvalidInputException("Training slices in " + settings.train() + " are " + train.width() + "×" + train.height()
					+ " pixels; UNet3+ needs a multiple of 16 (at least 32). Prepare them again with UNet3+ Preprocess and size=" + Math.max(32, Math.round(train.width() / 16f) * 16) + ".");
		final ModelSpec spec = requested.toBuilder().optSize(train.width()).build();
		final PreparationSpec prep = preparation(settings.train(), spec.size());
		final List<Device> devices = DeviceSelection.parse(settings.devices()).resolve(TorchEngine.get().getGpuCount());
		final boolean resuming = settings.resume() && Checkpoint.exists(trainingDir);
		if (!settings.resume() && (ModelBundle.isBundle(modelDir) || Checkpoint.exists(trainingDir)
				|| Files.isRegularFile(trainingDir.resolve(LOG_FILE))))
			throw new InvalidInputException("Model folder " + modelDir + " already holds a model; choose a new folder, or resume=true to continue it.");
		Files.createDirectories(trainingDir);
		try (FolderLock lock = FolderLock.acquire(trainingDir, "Another training run is writing into " + modelDir + "; wait for it or choose another model folder.")) {
			return loop(spec, prep, train, val, modelDir, trainingDir, resuming ? Optional.empty() : initial, resuming, devices);
		}
	}

	private TrainingResult loop(final ModelSpec spec, final PreparationSpec prep, final SliceDataset train, final SliceDataset val, final Path modelDir,
			final Path trainingDir, final Optional<InitialModel> initial, final boolean resuming, final List<Device> devices)
			throws IOException, InterruptedException {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		final DeepSupervisionLoss loss = new DeepSupervisionLoss(settings.loss().create(), spec.variant().hasDeepSupervision() ? 5 : 1,
				spec.variant().hasClassificationGuide());
		try (NDManager root = TorchEngine.get().newBaseManager(devices.get(0)); KerasAdam adam = new KerasAdam(settings.learningRate(), settings.clipNorm(), root)) {
			// NB: PyTorch's grad mode is per thread and on by default; DJL turns it off only in the
			// thread that started the engine. Off here, gradients are recorded only inside the
			// GradientCollector of a training step, never during validation.
			TorchEngine.setGradientRecording(false);
			net.initialize(root, settings.seed());
			// NB: a resumed run takes its weights from the checkpoint, so initial is empty then.
			if (initial.isPresent()) {
				initial.get().loadInto(net);
				progress.message("Starting from the weights of " + initial.get().source() + " (" + spec + "), with a fresh optimizer.");
			}
			final List<Parameter> trainable = trainableParameters(net);
			final ParameterStore store = new ParameterStore(root, false);
			bnBatches = resolveBnRecalibrate(train);
			final JsonObject trajectory = RunRecord.trajectory(settings, spec, bnBatches);
			final RunState state = resuming ? resume(net, adam, trainable, trainingDir, modelDir, trajectory) : RunState.fresh(trainingDir);
			final BatchLossLog batchLog = BatchLossLog.open(trainingDir.resolve(BatchLossLog.FILE), state.firstEpoch);
			// NB: a data-parallel step's copies of the weights live in sub-managers of root and are freed with it.
			final BatchStep step = BatchStep.create(new StepObjective(net, loss), adam, trainable, devices, root);
			final TrainingTimer timer = new TrainingTimer();
			String stop = "completed";
			for (int epoch = state.firstEpoch; epoch < settings.epochs(); epoch++) {
				if (state.best.patienceRunOut(epoch, settings.patience())) {
					stop = "early_stopping";
					break;
				}
				final long epochStart = System.nanoTime();
				final EpochLoss trained = trainEpoch(step, train, spec, epoch, epoch == state.firstEpoch, timer);
				recalibrateBatchNorm(net, store, root, train, spec, epoch);
				final double[] validation = Validation.run(net, store, loss, root, val, spec.classes(), settings, epoch, progress, cancel);
				requireFiniteValidation(validation[0], epoch);
				final TrainingLog.Row row = new TrainingLog.Row(epoch, trained.mean(), validation[0], validation[1], (System.nanoTime() - epochStart) / 1e9);
				state.log.add(row);
				final boolean improved = state.best.offer(epoch, validation[1]);
				if (improved) saveBest(net, spec, prep, modelDir, epoch, state.best);
				batchLog.append(epoch, trained.batches());
				checkpoint(net, adam, trainable, trainingDir, epoch, state.best, trajectory);
				epochs.epochEnded(row, improved);
				report(row, improved);
			}
			return finish(spec, prep, modelDir, state, stop, timer);
		}
	}

	/** What a run carries from epoch to epoch: where it starts, its log and its best model so far. */
	private static final class RunState {
		int firstEpoch;
		TrainingLog log;
		final BestModel best = new BestModel();

		static RunState fresh(final Path trainingDir) {
			final RunState s = new RunState();
			s.log = new TrainingLog(trainingDir.resolve(LOG_FILE));
			return s;
		}
	}

	/** The losses of one epoch: each batch's, and their mean over the epoch's slices. */
	private record EpochLoss(float[] batches, double mean) {}

	/** The parameters Adam updates, each set to record its gradient. */
	private static List<Parameter> trainableParameters(final UNet3PlusNet net) {
		final List<Parameter> trainable = new ArrayList<>();
		for (final Pair<String, Parameter> p : net.block().getParameters())
			if (p.getValue().requiresGradient()) {
				p.getValue().getArray().setRequiresGradient(true);
				trainable.add(p.getValue());
			}
		return trainable;
	}

	/** Loads the last checkpoint's weights and optimizer state; refuses other trajectory settings. */
	private RunState resume(final UNet3PlusNet net, final KerasAdam adam, final List<Parameter> trainable, final Path trainingDir, final Path modelDir,
			final JsonObject trajectory) throws IOException {
		final Checkpoint c = Checkpoint.read(trainingDir);
		c.requireSameTrajectory(trajectory, modelDir);
		ModelWeights.load(net, c.weights(trainingDir));
		try (InputStream in = new BufferedInputStream(Files.newInputStream(c.optimizer(trainingDir)))) {
			adam.load(new DataInputStream(in), trainable, c.optimizer(trainingDir).toString());
		}
		final RunState s = new RunState();
		s.firstEpoch = c.epoch() + 1;
		s.best.restore(c.bestEpoch(), c.bestDice());
		s.log = TrainingLog.read(trainingDir.resolve(LOG_FILE), s.firstEpoch);
		progress.message(String.format(Locale.ROOT, "Resuming %s after epoch %d (best validation Dice %.4f at epoch %d).", modelDir, s.firstEpoch,
				c.bestDice(), c.bestEpoch() + 1));
		return s;
	}

	/** One pass over the shuffled training slices, a step per batch. */
	private EpochLoss trainEpoch(final BatchStep step, final SliceDataset train, final ModelSpec spec, final int epoch, final boolean warmUp,
			final TrainingTimer timer) throws InterruptedException {
		TorchEngine.get().setRandomSeed((int) (settings.seed() * 1000 + epoch));
		final int batches = (train.size() + settings.batch() - 1) / settings.batch();
		final float[] losses = new float[batches];
		double lossSum = 0;
		int seen = 0;
		try (BatchLoader loader = new BatchLoader(train, shuffle(train.size(), settings.seed(), epoch), settings.batch(), spec.classes(),
				settings.augmentation(), settings.seed(), epoch, settings.workers(), 3)) {
			for (int b = 0; loader.hasNext(); b++) {
				cancel.check("Training");
				final long t0 = System.nanoTime();
				final long waitBefore = loader.waitNanos();
				final TrainingBatch batch = loader.next();
				losses[b] = step(step, train, batch, epoch, b);
				lossSum += (double) losses[b] * batch.size();
				seen += batch.size();
				// NB: the first batch of a run is left out of the timing (engine warm-up).
				if (!(warmUp && b == 0)) timer.add(System.nanoTime() - t0, loader.waitNanos() - waitBefore, batch.size());
				progress.progress(String.format(Locale.ROOT, "Epoch %d/%d, loss %.4f", epoch + 1, settings.epochs(), lossSum / seen), b + 1, batches);
			}
		}
		return new EpochLoss(losses, lossSum / seen);
	}

	/** {@code bn_recalibrate} for this run's epoch length ({@link BnRecalibration}); says what {@code auto} decided. */
	private int resolveBnRecalibrate(final SliceDataset train) {
		final int perEpoch = BnRecalibration.batchesPerEpoch(train.size(), settings.batch());
		final String decided = BnRecalibration.describe(settings.bnRecalibrate(), perEpoch);
		if (decided != null) progress.message(decided);
		return BnRecalibration.batches(settings.bnRecalibrate(), perEpoch);
	}

	/** Re-estimates BatchNorm statistics from {@code bn_recalibrate} batches when asked to. */
	private void recalibrateBatchNorm(final UNet3PlusNet net, final ParameterStore store, final NDManager root, final SliceDataset train,
			final ModelSpec spec, final int epoch) throws InterruptedException {
		if (bnBatches <= 0) return;
		progress.progress("Recalibrating BatchNorm", 0, 1);
		try (BatchLoader loader = new BatchLoader(train, shuffle(train.size(), settings.seed() + 1, epoch), settings.batch(), spec.classes(),
				Augmentation.NONE, settings.seed(), epoch, settings.workers(), 3)) {
			BatchNormRecalibration.run(net, store, root, loader, bnBatches);
		}
		progress.progress("Recalibrating BatchNorm", 1, 1);
	}

	/**
	 * Stops the run when the validation loss is not finite. NB: the last update of an epoch can make
	 * the weights non-finite with a finite batch loss (or the BatchNorm moving statistics, used only
	 * here); such weights must never become "best".
	 */
	private static void requireFiniteValidation(final double validationLoss, final int epoch) {
		if (!Double.isFinite(validationLoss))
			throw new InvalidInputException(String.format(Locale.ROOT,
					"Training diverged: the validation loss is %s after epoch %d. The best model so far is unchanged; try a lower learning_rate.",
					validationLoss, epoch + 1));
	}

	/** Replaces the bundle's weights and spec with those of the improved epoch. */
	private void saveBest(final UNet3PlusNet net, final ModelSpec spec, final PreparationSpec prep, final Path modelDir, final int epoch,
			final BestModel best) throws IOException {
		ModelWeights.save(net.block(), modelDir.resolve(ModelBundle.WEIGHTS_FILE));
		new ModelBundle(spec, prep, RunRecord.training(settings, bnBatches, initRecord, epoch, best, "running", 0, 0)).writeSpec(modelDir);
	}

	private void report(final TrainingLog.Row row, final boolean improved) {
		progress.message(String.format(Locale.ROOT, "Epoch %d/%d: train loss %.4f, val loss %.4f, val Dice %.4f%s (%.1f s)", row.epoch() + 1,
				settings.epochs(), row.trainLoss(), row.valLoss(), row.valDice(), improved ? " (best)" : "", row.seconds()));
	}

	/** Writes the final training record into the bundle and reports the timing. */
	private TrainingResult finish(final ModelSpec spec, final PreparationSpec prep, final Path modelDir, final RunState state, final String stop,
			final TrainingTimer timer) throws IOException {
		if (state.best.epoch() >= 0)
			new ModelBundle(spec, prep, RunRecord.training(settings, bnBatches, initRecord, state.log.rows().size() - 1, state.best, stop, timer.latencyMs(),
				timer.throughput())).writeSpec(modelDir);
		progress.message(String.format(Locale.ROOT, "Data loader wait: %.1f%% of the batch time", 100 * timer.waitFraction()));
		progress.message(String.format(Locale.ROOT, "Training latency: %.1f msec", timer.latencyMs()));
		progress.message(String.format(Locale.ROOT, "Training throughput/FPS: %.2f samples/sec", timer.throughput()));
		return new TrainingResult(state.log.rows(), state.best.epoch(), state.best.dice(), stop, timer.latencyMs(), timer.throughput(),
				timer.waitFraction());
	}

	/**
	 * One step of {@code batch}; returns its loss.
	 *
	 * @throws InvalidInputException when the loss is not finite: the run stops there, naming the
	 *           epoch, the batch and its slices; the best model and the last checkpoint are those
	 *           of the last finished epoch
	 */
	private static float step(final BatchStep step, final SliceDataset train, final TrainingBatch batch, final int epoch, final int index) {
		final float value = (float) step.step(batch);
		if (!Float.isFinite(value)) {
			final List<String> files = new ArrayList<>();
			for (final String id : batch.sliceIds())
				files.add("image_" + id + ".png");
			throw new InvalidInputException(String.format(Locale.ROOT,
					"Training diverged: the loss is %s at epoch %d, batch %d (slices %s in %s). The best model and the last checkpoint (the last finished epoch) are kept; try a lower learning_rate.",
					value, epoch + 1, index + 1, String.join(", ", files), train.folder().resolve("images")));
		}
		return value;
	}


	/** Saves weights, optimizer state and counters of a finished epoch ({@link Checkpoint}). */
	private static void checkpoint(final UNet3PlusNet net, final KerasAdam adam, final List<Parameter> trainable, final Path trainingDir, final int epoch,
			final BestModel best, final JsonObject trajectory) throws IOException {
		Checkpoint.write(trainingDir, epoch, best.epoch(), best.dice(), trajectory, (weights, optimizer) -> {
			ModelWeights.save(net.block(), weights);
			AtomicFiles.write(optimizer, out -> {
				final DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
				adam.save(dos, trainable);
				dos.flush();
			});
		});
	}

	/** The preparation recorded by UNet3+ Preprocess beside the slices, or the reference recipe's defaults. */
	private PreparationSpec preparation(final Path data, final int size) throws IOException {
		final Optional<PreparationRecord> record = PreparationRecord.read(data);
		if (record.isEmpty()) {
			progress.message("No " + PREPARATION_FILE + " in " + data + "; assuming the reference recipe's preparation (HU -200..250, rot90, k-1/k/k+1).");
			return new PreparationSpec(-200, 250, size);
		}
		final PreparationRecord r = record.get();
		if (r.size() != size) throw new InvalidInputException(data.resolve(PREPARATION_FILE) + " says size " + r.size() + " but the slices are " + size + " pixels.");
		return new PreparationSpec(r.huMin(), r.huMax(), r.size());
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
