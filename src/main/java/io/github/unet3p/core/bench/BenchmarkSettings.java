package io.github.unet3p.core.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.model.Mode;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * What {@link ModelBenchmark} measures, immutable. Defaults follow the seed's benchmark: inference,
 * 50 warm-up steps, 100 bench steps, batch 16 (the seed's per-device batch), random weights of the
 * default architecture, seed 5, {@link Precision#FP32}. Build with {@link #builder()}.
 */
public final class BenchmarkSettings {

	/** Default warm-up steps (the seed's). */
	public static final int DEFAULT_WARMUP = 50;
	/** Default timed steps (the seed's). */
	public static final int DEFAULT_STEPS = 100;
	/** Default batch size (the seed's per-device batch). */
	public static final int DEFAULT_BATCH = 16;
	/** Default {@code seed} of the random weights and inputs. */
	public static final long DEFAULT_SEED = 5;
	/** Largest input batch accepted, in float values (batch · 3 · size²): 1 GiB of floats. */
	public static final long MAX_INPUT_VALUES = 1L << 28;

	private final Mode mode;
	private final Path model;
	private final ModelSpec architecture;
	private final int batch;
	private final int warmup;
	private final int steps;
	private final long seed;
	private final double learningRate;
	private final Precision precision;
	private final String devices;
	private final InferenceEngine engine;

	private BenchmarkSettings(final Builder b, final ModelSpec architecture) {
		mode = b.mode;
		model = b.model;
		this.architecture = architecture;
		batch = b.batch;
		warmup = b.warmup;
		steps = b.steps;
		seed = b.seed;
		learningRate = b.learningRate;
		precision = b.precision;
		engine = b.engine;
		devices = b.devices;
	}

	/**
	 * The {@code devices} value ({@code cpu}, {@code gpu}, {@code gpu:N}, {@code all}); empty for
	 * the engine's default device (the first GPU when the loaded build sees one, else the CPU).
	 * Several devices (training mode only) train data-parallel.
	 */
	public String devices() {
		return devices;
	}

	/** A builder with the defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** Inference (forward passes) or training (forward, loss, backward, Adam step). */
	public Mode mode() {
		return mode;
	}

	/** The model bundle whose weights and architecture are used, if any (random weights otherwise). */
	public Optional<Path> model() {
		return Optional.ofNullable(model);
	}

	/** The architecture used without a model bundle (its size is the input size). */
	public ModelSpec architecture() {
		return architecture;
	}

	/** Images per step. */
	public int batch() {
		return batch;
	}

	/** Untimed steps before the timed ones. */
	public int warmup() {
		return warmup;
	}

	/** Timed steps. */
	public int steps() {
		return steps;
	}

	/** Seed of the random weights, input and masks. */
	public long seed() {
		return seed;
	}

	/** Adam's learning rate in training mode. */
	public double learningRate() {
		return learningRate;
	}

	/** The inference arithmetic timed in inference mode ({@code precision}). */
	public Precision precision() {
		return precision;
	}

	/** The runtime timed in inference mode ({@code engine}). */
	public InferenceEngine engine() {
		return engine;
	}

	/** Builder of {@link BenchmarkSettings}. */
	public static final class Builder {

		private Mode mode = Mode.INFERENCE;
		private Path model;
		private ModelSpec.Builder architecture = ModelSpec.builder();
		private int batch = DEFAULT_BATCH;
		private int warmup = DEFAULT_WARMUP;
		private int steps = DEFAULT_STEPS;
		private long seed = DEFAULT_SEED;
		private double learningRate = 5e-5;
		private Precision precision = Precision.FP32;
		private String devices = "";

		/** The devices (default empty: the engine's default device); see {@link BenchmarkSettings#devices()}. */
		public Builder optDevices(final String v) {
			devices = v == null ? "" : v.trim();
			return this;
		}
		private InferenceEngine engine = InferenceEngine.DEFAULT;

		private Builder() {}

		/** Mode (default inference). */
		public Builder optMode(final Mode v) {
			mode = Objects.requireNonNull(v);
			return this;
		}

		/** A model bundle folder to benchmark instead of random weights ({@code null} = none). */
		public Builder optModel(final Path v) {
			model = v;
			return this;
		}

		/** The architecture without a model bundle (default: the seed's, 320 × 320). */
		public Builder optArchitecture(final ModelSpec.Builder v) {
			architecture = Objects.requireNonNull(v);
			return this;
		}

		/** Batch size (default 16). */
		public Builder optBatch(final int v) {
			batch = v;
			return this;
		}

		/** Warm-up steps (default 50). */
		public Builder optWarmup(final int v) {
			warmup = v;
			return this;
		}

		/** Timed steps (default 100). */
		public Builder optSteps(final int v) {
			steps = v;
			return this;
		}

		/** Seed (default 5). */
		public Builder optSeed(final long v) {
			seed = v;
			return this;
		}

		/** Adam's learning rate in training mode (default 5e-5, the seed's). */
		public Builder optLearningRate(final double v) {
			learningRate = v;
			return this;
		}

		/** The inference arithmetic (default {@link Precision#FP32}); inference mode only. */
		public Builder optPrecision(final Precision v) {
			precision = Objects.requireNonNull(v, InferenceKeys.PRECISION);
			return this;
		}

		/** The runtime (default {@link InferenceEngine#DEFAULT}); other than PyTorch in inference mode only. */
		public Builder optEngine(final InferenceEngine v) {
			engine = Objects.requireNonNull(v, InferenceKeys.ENGINE);
			return this;
		}

		/**
		 * Checks every value and builds.
		 *
		 * @throws InvalidInputException naming the key of a bad value, when one input batch
		 *           would exceed {@link #MAX_INPUT_VALUES} floats, or for a precision other than
		 *           {@code fp32} or an engine other than {@code pytorch} or {@code auto} in training mode (training
		 *           always runs as trained, on PyTorch)
		 */
		public BenchmarkSettings build() {
			if (batch < 1 || batch > 4096) throw new InvalidInputException("batch must be between 1 and 4096, not " + batch + ".");
			if (warmup < 0 || warmup > 1_000_000) throw new InvalidInputException("warmup must be between 0 and 1000000 steps, not " + warmup + ".");
			if (steps < 1 || steps > 1_000_000) throw new InvalidInputException("steps must be between 1 and 1000000, not " + steps + ".");
			if (!(learningRate > 0) || !Double.isFinite(learningRate))
				throw new InvalidInputException("learning_rate must be a positive number, not " + learningRate + ".");
			if (mode == Mode.TRAINING && precision != Precision.FP32)
				throw new InvalidInputException(InferenceKeys.PRECISION + "='" + precision + "' applies to inference only; use precision='"
						+ Precision.FP32 + "' with mode='" + Mode.TRAINING + "'.");
			if (!devices.isEmpty()) {
				io.github.unet3p.core.train.DeviceSelection.parse(devices);
				if (mode == Mode.INFERENCE && devices.equalsIgnoreCase("all"))
					throw new InvalidInputException("devices='all' applies to mode='training' (data-parallel); inference runs on one device: use devices='gpu' or 'gpu:N'.");
			}
			if (mode == Mode.TRAINING && engine != InferenceEngine.PYTORCH && engine != InferenceEngine.AUTO)
				throw new InvalidInputException(InferenceKeys.ENGINE + "='" + engine + "' applies to inference only; training runs on '" + InferenceEngine.PYTORCH
						+ "' (use mode='" + Mode.INFERENCE + "').");
			final ModelSpec spec = architecture.build();
			checkInput(batch, spec.size());
			return new BenchmarkSettings(this, spec);
		}
	}

	/** Refuses an input batch larger than {@link #MAX_INPUT_VALUES} before anything is allocated. */
	static void checkInput(final int batch, final int size) {
		final long values = (long) batch * ModelSpec.CHANNELS * size * size;
		if (values > MAX_INPUT_VALUES)
			throw new InvalidInputException("batch " + batch + " of " + size + "×" + size + " images is " + values + " input values; at most " + MAX_INPUT_VALUES
					+ " are allowed: lower batch or size.");
	}
}
