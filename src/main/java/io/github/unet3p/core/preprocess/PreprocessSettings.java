package io.github.unet3p.core.preprocess;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The parameters of the seed's data preparation: the HU window and the output slice size.
 * Immutable; build with {@link #builder()}. Defaults are the seed's: [−200, 250] HU, 320 × 320.
 */
public final class PreprocessSettings {

	/** Default lower end of the HU window. */
	public static final double DEFAULT_HU_MIN = -200;
	/** Default upper end of the HU window. */
	public static final double DEFAULT_HU_MAX = 250;
	/** Default side of the output slices. */
	public static final int DEFAULT_SIZE = 320;
	/** Smallest accepted output side. */
	public static final int MIN_SIZE = 16;
	/** Largest accepted output side. */
	public static final int MAX_SIZE = 4096;

	private final double huMin;
	private final double huMax;
	private final int size;

	private PreprocessSettings(final Builder b) {
		this.huMin = b.huMin;
		this.huMax = b.huMax;
		this.size = b.size;
	}

	/** The seed's settings. */
	public static PreprocessSettings defaults() {
		return builder().build();
	}

	/** A builder starting from the defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** Lower end of the HU window ({@code hu_min}). */
	public double huMin() {
		return huMin;
	}

	/** Upper end of the HU window ({@code hu_max}). */
	public double huMax() {
		return huMax;
	}

	/** Side of the square output slices in pixels ({@code size}). */
	public int size() {
		return size;
	}

	@Override
	public String toString() {
		return PreprocessKeys.HU_MIN + "=" + huMin + ", " + PreprocessKeys.HU_MAX + "=" + huMax + ", " + PreprocessKeys.SIZE + "=" + size;
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof PreprocessSettings)) return false;
		final PreprocessSettings s = (PreprocessSettings) o;
		return Double.compare(huMin, s.huMin) == 0 && Double.compare(huMax, s.huMax) == 0 && size == s.size;
	}

	@Override
	public int hashCode() {
		return (Double.hashCode(huMin) * 31 + Double.hashCode(huMax)) * 31 + size;
	}

	/** Builds {@link PreprocessSettings}; every value is optional. */
	public static final class Builder {

		private double huMin = DEFAULT_HU_MIN;
		private double huMax = DEFAULT_HU_MAX;
		private int size = DEFAULT_SIZE;

		private Builder() {}

		/** Sets the lower end of the HU window ({@code hu_min}, default −200). */
		public Builder optHuMin(final double value) {
			this.huMin = value;
			return this;
		}

		/** Sets the upper end of the HU window ({@code hu_max}, default 250). */
		public Builder optHuMax(final double value) {
			this.huMax = value;
			return this;
		}

		/** Sets the side of the output slices ({@code size}, default 320). */
		public Builder optSize(final int value) {
			this.size = value;
			return this;
		}

		/**
		 * The settings.
		 *
		 * @throws InvalidInputException if a bound is not finite, {@code hu_min ≥ hu_max}, or
		 *             {@code size} is outside [16, 4096]
		 */
		public PreprocessSettings build() {
			if (!Double.isFinite(huMin)) throw new InvalidInputException(PreprocessKeys.HU_MIN + " must be a finite number, not " + huMin);
			if (!Double.isFinite(huMax)) throw new InvalidInputException(PreprocessKeys.HU_MAX + " must be a finite number, not " + huMax);
			if (huMin >= huMax)
				throw new InvalidInputException(PreprocessKeys.HU_MIN + " (" + huMin + ") must be smaller than " + PreprocessKeys.HU_MAX + " (" + huMax + ")");
			if (size < MIN_SIZE || size > MAX_SIZE)
				throw new InvalidInputException(PreprocessKeys.SIZE + " must be between " + MIN_SIZE + " and " + MAX_SIZE + " pixels, not " + size);
			return new PreprocessSettings(this);
		}
	}
}
