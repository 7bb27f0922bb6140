package io.github.unet3p.core.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * Everything a training run needs, immutable. Defaults are the reference recipe's: Adam with
 * learning rate 5e-5, batch 16, 100 epochs, seed 5, patience 100, the hybrid loss, no
 * augmentation. Build with {@link #builder()}: {@code setX} for required values, {@code optX} for
 * the rest. Each default is declared once here ({@code DEFAULT_*}) and reused by the command.
 */
public final class TrainSettings {

	/** Default {@code epochs}. */
	public static final int DEFAULT_EPOCHS = 100;
	/** Default {@code batch}. */
	public static final int DEFAULT_BATCH = 16;
	/** Default {@code learning_rate}. */
	public static final double DEFAULT_LEARNING_RATE = 5e-5;
	/** Default {@code seed}. */
	public static final long DEFAULT_SEED = 5;
	/** Default {@code patience}. */
	public static final int DEFAULT_PATIENCE = 100;
	/** Default {@code clip_norm} (off). */
	public static final double DEFAULT_CLIP_NORM = 0;
	/** Default {@code workers}. */
	public static final int DEFAULT_WORKERS = 2;
	/** Default {@code devices}. */
	public static final String DEFAULT_DEVICES = "cpu";
	/** Default {@code bn_recalibrate}: {@value BnRecalibration#AUTO}, decided per run ({@link BnRecalibration}). */
	public static final String DEFAULT_BN_RECALIBRATE = BnRecalibration.DEFAULT;

	private final Path train;
	private final Path validation;
	private final Path model;
	private final ModelSpec architecture;
	private final int epochs;
	private final int batch;
	private final double learningRate;
	private final LossKind loss;
	private final long seed;
	private final int patience;
	private final boolean resume;
	private final Augmentation augmentation;
	private final boolean cache;
	private final double clipNorm;
	private final int workers;
	private final String devices;
	private final int bnRecalibrate;
	private final Path init;

	private TrainSettings(final Builder b, final ModelSpec architecture) {
		train = b.train;
		validation = b.validation;
		model = b.model;
		this.architecture = architecture;
		epochs = b.epochs;
		batch = b.batch;
		learningRate = b.learningRate;
		loss = b.loss;
		seed = b.seed;
		patience = b.patience;
		resume = b.resume;
		augmentation = b.augmentation;
		cache = b.cache;
		clipNorm = b.clipNorm;
		workers = b.workers;
		devices = b.devices;
		bnRecalibrate = b.bnRecalibrate;
		init = b.init;
	}

	/** A builder with the seed's defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** Training data folder ({@code images/} + {@code mask/}). */
	public Path train() {
		return train;
	}

	/** Validation data folder. */
	public Path validation() {
		return validation;
	}

	/** Output model bundle folder. */
	public Path model() {
		return model;
	}

	/** The architecture as given (its size is the default until the data decide it). */
	public ModelSpec architecture() {
		return architecture;
	}

	/** The architecture for slices of {@code size} × {@code size} pixels. */
	public ModelSpec architecture(final int size) {
		return architecture.toBuilder().optSize(size).build();
	}

	/** Number of epochs. */
	public int epochs() {
		return epochs;
	}

	/** Slices per batch. */
	public int batch() {
		return batch;
	}

	/** Adam's learning rate. */
	public double learningRate() {
		return learningRate;
	}

	/** The loss. */
	public LossKind loss() {
		return loss;
	}

	/** The seed of initialisation, shuffling, augmentation and dropout. */
	public long seed() {
		return seed;
	}

	/** Epochs without a better validation Dice before stopping. */
	public int patience() {
		return patience;
	}

	/** Continue from the bundle's last checkpoint. */
	public boolean resume() {
		return resume;
	}

	/** Augmentation level. */
	public Augmentation augmentation() {
		return augmentation;
	}

	/** Keep decoded slices in memory. */
	public boolean cache() {
		return cache;
	}

	/** Global gradient-norm clip (0 = off). */
	public double clipNorm() {
		return clipNorm;
	}

	/** Loader threads. */
	public int workers() {
		return workers;
	}

	/** Device selection ({@code cpu}, {@code gpu}, {@code gpu:N}, {@code all}). */
	public String devices() {
		return devices;
	}

	/**
	 * Training batches to re-estimate BatchNorm statistics from after every epoch (0 = off, the
	 * seed), or {@link BnRecalibration#AUTO_VALUE}: decided per run by {@link BnRecalibration#batches}.
	 */
	public int bnRecalibrate() {
		return bnRecalibrate;
	}

	/** The bundle whose weights a fine-tuning run starts from ({@link InitialModel}); empty = random weights. */
	public Optional<Path> init() {
		return Optional.ofNullable(init);
	}

	/** Builder of {@link TrainSettings}. */
	public static final class Builder {

		private Path train;
		private Path validation;
		private Path model;
		private ModelSpec.Builder architecture = ModelSpec.builder();
		private int epochs = DEFAULT_EPOCHS;
		private int batch = DEFAULT_BATCH;
		private double learningRate = DEFAULT_LEARNING_RATE;
		private LossKind loss = LossKind.DEFAULT;
		private long seed = DEFAULT_SEED;
		private int patience = DEFAULT_PATIENCE;
		private boolean resume;
		private Augmentation augmentation = Augmentation.DEFAULT;
		private boolean cache;
		private double clipNorm = DEFAULT_CLIP_NORM;
		private int workers = DEFAULT_WORKERS;
		private String devices = DEFAULT_DEVICES;
		private int bnRecalibrate = BnRecalibration.AUTO_VALUE;
		private Path init;

		private Builder() {}

		/** Required: the training data folder. */
		public Builder setTrain(final Path p) {
			train = Objects.requireNonNull(p);
			return this;
		}

		/** Required: the validation data folder. */
		public Builder setValidation(final Path p) {
			validation = Objects.requireNonNull(p);
			return this;
		}

		/** Required: the output model folder. */
		public Builder setModel(final Path p) {
			model = Objects.requireNonNull(p);
			return this;
		}

		/** The architecture (its size is taken from the data). */
		public Builder optArchitecture(final ModelSpec.Builder a) {
			architecture = Objects.requireNonNull(a);
			return this;
		}

		/** The architecture (its size is taken from the data). */
		public Builder optArchitecture(final ModelSpec a) {
			architecture = a.toBuilder();
			return this;
		}

		/** Epochs (default 100). */
		public Builder optEpochs(final int v) {
			epochs = v;
			return this;
		}

		/** Batch size (default 16). */
		public Builder optBatch(final int v) {
			batch = v;
			return this;
		}

		/** Learning rate (default 5e-5). */
		public Builder optLearningRate(final double v) {
			learningRate = v;
			return this;
		}

		/** Loss (default hybrid). */
		public Builder optLoss(final LossKind v) {
			loss = Objects.requireNonNull(v);
			return this;
		}

		/** Seed (default 5). */
		public Builder optSeed(final long v) {
			seed = v;
			return this;
		}

		/** Early-stopping patience in epochs (default 100). */
		public Builder optPatience(final int v) {
			patience = v;
			return this;
		}

		/** Resume from the last checkpoint (default false). */
		public Builder optResume(final boolean v) {
			resume = v;
			return this;
		}

		/** Augmentation (default none). */
		public Builder optAugmentation(final Augmentation v) {
			augmentation = Objects.requireNonNull(v);
			return this;
		}

		/** Cache decoded slices (default false). */
		public Builder optCache(final boolean v) {
			cache = v;
			return this;
		}

		/** Gradient clipping by global norm (default 0 = off). */
		public Builder optClipNorm(final double v) {
			clipNorm = v;
			return this;
		}

		/** Loader threads (default 2). */
		public Builder optWorkers(final int v) {
			workers = v;
			return this;
		}

		/** Devices (default cpu). */
		public Builder optDevices(final String v) {
			devices = Objects.requireNonNull(v);
			return this;
		}

		/** BatchNorm recalibration batches after every epoch (0 = off, as the seed; {@link BnRecalibration#AUTO_VALUE}: auto, the default). */
		public Builder optBnRecalibrate(final int v) {
			bnRecalibrate = v;
			return this;
		}

		/** Start from this bundle's weights instead of random ones (null or empty = random, the default). */
		public Builder optInit(final Path v) {
			init = v == null || v.toString().isEmpty() ? null : v;
			return this;
		}

		/** The {@code bn_recalibrate} key as typed: {@value BnRecalibration#AUTO} (default), 0 or a number of batches. */
		public Builder optBnRecalibrate(final String v) {
			bnRecalibrate = BnRecalibration.parse(v);
			return this;
		}

		/** Checks every value and builds; a bad value names its key. */
		public TrainSettings build() {
			if (train == null) throw new InvalidInputException("The key 'train' (training data folder) is required.");
			if (validation == null) throw new InvalidInputException("The key 'validation' (validation data folder) is required.");
			if (model == null) throw new InvalidInputException("The key 'model' (output model folder) is required.");
			if (epochs < 1 || epochs > 100_000) throw new InvalidInputException("epochs must be between 1 and 100000, not " + epochs + ".");
			if (batch < 1 || batch > 4096) throw new InvalidInputException("batch must be between 1 and 4096, not " + batch + ".");
			if (!(learningRate > 0) || learningRate > 10 || !Double.isFinite(learningRate))
				throw new InvalidInputException("learning_rate must be a positive number (the recipe uses 5e-5), not " + learningRate + ".");
			if (patience < 1) throw new InvalidInputException("patience must be at least 1 epoch, not " + patience + ".");
			if (clipNorm < 0 || !Double.isFinite(clipNorm)) throw new InvalidInputException("clip_norm must be 0 (off) or positive, not " + clipNorm + ".");
			BnRecalibration.check(bnRecalibrate);
			if (workers < 1 || workers > 64) throw new InvalidInputException("workers must be between 1 and 64, not " + workers + ".");
			final ModelSpec spec = architecture.build();
			DeviceSelection.parse(devices);
			return new TrainSettings(this, spec);
		}
	}
}
