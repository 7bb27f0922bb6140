package io.github.unet3p.core.infer;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * How a volume is segmented beyond the model's own preprocessing: the batch size, test-time
 * flipping, the 3-D post-processing, whether probability maps are returned and the arithmetic
 * {@link Precision}. Immutable; build with {@link #builder()}. The defaults reproduce the seed:
 * batch 4, no augmentation, no post-processing, labels only, float32 as trained.
 *
 * <p>NB: the precision is applied when the model is opened
 * ({@link TorchProbabilityModel#open(java.nio.file.Path, Precision)}), not by {@link VolumeSegmenter}.
 */
public final class InferenceSettings {

	/** Default number of slices per model call. */
	public static final int DEFAULT_BATCH = 4;
	/** Largest accepted batch. */
	public static final int MAX_BATCH = 1024;

	private final int batch;
	private final boolean largestComponent;
	private final boolean fillHoles;
	private final boolean ttaFlip;
	private final boolean probabilities;
	private final Precision precision;
	private final InferenceEngine engine;

	private InferenceSettings(final Builder b) {
		batch = b.batch;
		largestComponent = b.largestComponent;
		fillHoles = b.fillHoles;
		ttaFlip = b.ttaFlip;
		probabilities = b.probabilities;
		precision = b.precision;
		engine = b.engine;
	}

	/** The defaults. */
	public static InferenceSettings defaults() {
		return builder().build();
	}

	/** A builder starting from the defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** Slices per model call ({@code batch}). */
	public int batch() {
		return batch;
	}

	/** Whether only the largest 26-connected foreground component is kept ({@code largest_component}). */
	public boolean largestComponent() {
		return largestComponent;
	}

	/** Whether enclosed background cavities are filled ({@code fill_holes}). */
	public boolean fillHoles() {
		return fillHoles;
	}

	/** Whether probabilities are averaged with those of the horizontally mirrored slice ({@code tta_flip}). */
	public boolean ttaFlip() {
		return ttaFlip;
	}

	/** Whether per-class probability volumes are returned ({@code probabilities}). */
	public boolean probabilities() {
		return probabilities;
	}

	/** The inference arithmetic ({@code precision}). */
	public Precision precision() {
		return precision;
	}

	/** The runtime that runs the network ({@code engine}); applied when the model is opened ({@link ProbabilityModels#open}). */
	public InferenceEngine engine() {
		return engine;
	}

	@Override
	public String toString() {
		return InferenceKeys.BATCH + "=" + batch + ", " + InferenceKeys.LARGEST_COMPONENT + "=" + largestComponent + ", "
				+ InferenceKeys.FILL_HOLES + "=" + fillHoles + ", " + InferenceKeys.TTA_FLIP + "=" + ttaFlip + ", "
				+ InferenceKeys.PROBABILITIES + "=" + probabilities + ", " + InferenceKeys.PRECISION + "=" + precision + ", " + InferenceKeys.ENGINE + "=" + engine;
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof InferenceSettings)) return false;
		final InferenceSettings s = (InferenceSettings) o;
		return batch == s.batch && largestComponent == s.largestComponent && fillHoles == s.fillHoles && ttaFlip == s.ttaFlip
				&& probabilities == s.probabilities && precision == s.precision && engine == s.engine;
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(batch, largestComponent, fillHoles, ttaFlip, probabilities, precision, engine);
	}

	/** Builds {@link InferenceSettings}; every value is optional. */
	public static final class Builder {

		private int batch = DEFAULT_BATCH;
		private boolean largestComponent;
		private boolean fillHoles;
		private boolean ttaFlip;
		private boolean probabilities;
		private Precision precision = Precision.FP32;
		private InferenceEngine engine = InferenceEngine.DEFAULT;

		private Builder() {}

		/** Sets the slices per model call ({@code batch}, default 4). */
		public Builder optBatch(final int value) {
			batch = value;
			return this;
		}

		/** Keeps only the largest 26-connected foreground component ({@code largest_component}, default off). */
		public Builder optLargestComponent(final boolean value) {
			largestComponent = value;
			return this;
		}

		/** Fills background cavities not connected to the volume border ({@code fill_holes}, default off). */
		public Builder optFillHoles(final boolean value) {
			fillHoles = value;
			return this;
		}

		/** Averages with the horizontally mirrored slice ({@code tta_flip}, default off). */
		public Builder optTtaFlip(final boolean value) {
			ttaFlip = value;
			return this;
		}

		/** Also returns per-class probability volumes ({@code probabilities}, default off). */
		public Builder optProbabilities(final boolean value) {
			probabilities = value;
			return this;
		}

		/** Sets the runtime ({@code engine}, default {@link InferenceEngine#DEFAULT}). */
		public Builder optEngine(final InferenceEngine value) {
			engine = java.util.Objects.requireNonNull(value, InferenceKeys.ENGINE);
			return this;
		}

		/** Sets the inference arithmetic ({@code precision}, default {@link Precision#FP32}). */
		public Builder optPrecision(final Precision value) {
			precision = java.util.Objects.requireNonNull(value, InferenceKeys.PRECISION);
			return this;
		}

		/**
		 * The settings.
		 *
		 * @throws InvalidInputException if {@code batch} is outside [1, 1024]
		 */
		public InferenceSettings build() {
			if (batch < 1 || batch > MAX_BATCH)
				throw new InvalidInputException(InferenceKeys.BATCH + " must be between 1 and " + MAX_BATCH + " slices, not " + batch);
			return new InferenceSettings(this);
		}
	}
}
