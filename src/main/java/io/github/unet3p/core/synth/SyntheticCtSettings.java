package io.github.unet3p.core.synth;

import java.util.Locale;
import java.util.Objects;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * What the synthetic CT generator makes: how many volumes, their size in voxels, their voxel
 * spacing and the seed. Immutable; build it with {@link #builder()}.
 *
 * <p>Defaults: {@code size} 128, {@code slices} 48, in-plane spacing {@code 0.75 · 512 / size} mm
 * (a 384 mm field of view, as a 512² clinical CT at 0.75 mm), slice thickness 4 mm.
 */
public final class SyntheticCtSettings {

	/** Default in-plane size in voxels. */
	public static final int DEFAULT_SIZE = 128;

	/** Default number of slices. */
	public static final int DEFAULT_SLICES = 48;
	/** Number of volumes when a command is not told (the builder requires it). */
	public static final int DEFAULT_COUNT = 4;
	/** Seed when a command is not told (the builder requires it). */
	public static final long DEFAULT_SEED = 1;

	/** Default slice thickness in mm. */
	public static final double DEFAULT_THICKNESS_MM = 4.0;

	/** Field of view of the default in-plane spacing, in mm (0.75 mm × 512 voxels). */
	public static final double DEFAULT_FIELD_OF_VIEW_MM = 0.75 * 512;

	/** Largest number of volumes one dataset may hold. */
	public static final int MAX_COUNT = 10_000;

	/** Smallest and largest in-plane size. */
	public static final int MIN_SIZE = 32, MAX_SIZE = 1024;

	/** Largest number of slices. */
	public static final int MAX_SLICES = 1024;

	/** Largest number of voxels in one volume (512 × 512 × 1024). */
	public static final long MAX_VOXELS = 512L * 512 * 1024;

	private final int count;
	private final int size;
	private final int slices;
	private final long seed;
	private final double inPlaneMm;
	private final double thicknessMm;

	private SyntheticCtSettings(final Builder b) {
		this.count = b.count;
		this.size = b.size;
		this.slices = b.slices;
		this.seed = b.seed;
		this.inPlaneMm = Double.isNaN(b.inPlaneMm) ? DEFAULT_FIELD_OF_VIEW_MM / b.size : b.inPlaneMm;
		this.thicknessMm = Double.isNaN(b.thicknessMm) ? DEFAULT_THICKNESS_MM : b.thicknessMm;
	}

	/** A builder; {@code count} and {@code seed} are required, everything else has a default. */
	public static Builder builder() {
		return new Builder();
	}

	/** Number of volumes in the dataset. */
	public int count() {
		return count;
	}

	/** In-plane size: each axial slice has {@code size × size} voxels (I = J = size). */
	public int size() {
		return size;
	}

	/** Number of axial slices K. */
	public int slices() {
		return slices;
	}

	/** Seed of the whole dataset; case {@code n} depends only on the seed, n and the geometry. */
	public long seed() {
		return seed;
	}

	/** In-plane voxel size in mm (along i and j). */
	public double inPlaneSpacing() {
		return inPlaneMm;
	}

	/** Slice thickness in mm (along k). */
	public double sliceThickness() {
		return thicknessMm;
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof SyntheticCtSettings)) return false;
		final SyntheticCtSettings s = (SyntheticCtSettings) o;
		return count == s.count && size == s.size && slices == s.slices && seed == s.seed &&
			Double.compare(inPlaneMm, s.inPlaneMm) == 0 && Double.compare(thicknessMm, s.thicknessMm) == 0;
	}

	@Override
	public int hashCode() {
		return Objects.hash(count, size, slices, seed, inPlaneMm, thicknessMm);
	}

	/** The settings in the command's key syntax, e.g. {@code count=7 size=128 ... spacing='3.0,4.0'}. */
	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%s=%d %s=%d %s=%d %s=%d %s='%s,%s'", SyntheticCtKeys.COUNT, count,
			SyntheticCtKeys.SIZE, size, SyntheticCtKeys.SLICES, slices, SyntheticCtKeys.SEED, seed,
			SyntheticCtKeys.SPACING, inPlaneMm, thicknessMm);
	}

	/**
	 * Builds {@link SyntheticCtSettings}: {@code set*} for the required keys, {@code opt*} for the
	 * optional ones; every value is checked when set and the combination in {@link #build()}.
	 */
	public static final class Builder {

		private int count = -1;
		private int size = DEFAULT_SIZE;
		private int slices = DEFAULT_SLICES;
		private long seed;
		private boolean seedSet;
		private double inPlaneMm = Double.NaN;
		private double thicknessMm = Double.NaN;

		private Builder() {}

		/** Number of volumes, 1 … {@value SyntheticCtSettings#MAX_COUNT} (required). */
		public Builder setCount(final int count) {
			if (count < 1 || count > MAX_COUNT)
				throw new InvalidInputException(SyntheticCtKeys.COUNT + " must be between 1 and " + MAX_COUNT + " volumes, not " + count);
			this.count = count;
			return this;
		}

		/** Seed of the random anatomy and noise, any value (required). */
		public Builder setSeed(final long seed) {
			this.seed = seed;
			this.seedSet = true;
			return this;
		}

		/** In-plane size in voxels, {@value SyntheticCtSettings#MIN_SIZE} … {@value SyntheticCtSettings#MAX_SIZE} (default 128). */
		public Builder optSize(final int size) {
			if (size < MIN_SIZE || size > MAX_SIZE)
				throw new InvalidInputException(SyntheticCtKeys.SIZE + " must be between " + MIN_SIZE + " and " + MAX_SIZE + " voxels, not " + size);
			this.size = size;
			return this;
		}

		/** Number of slices, 1 … {@value SyntheticCtSettings#MAX_SLICES} (default 48). */
		public Builder optSlices(final int slices) {
			if (slices < 1 || slices > MAX_SLICES)
				throw new InvalidInputException(SyntheticCtKeys.SLICES + " must be between 1 and " + MAX_SLICES + " slices, not " + slices);
			this.slices = slices;
			return this;
		}

		/**
		 * Voxel size in mm: in-plane 0.1 … 20, slice thickness 0.1 … 50 (default: a 384 mm field
		 * of view and 4 mm slices).
		 */
		public Builder optSpacing(final double inPlaneMm, final double thicknessMm) {
			if (!(inPlaneMm >= 0.1 && inPlaneMm <= 20))
				throw new InvalidInputException(SyntheticCtKeys.SPACING + ": the in-plane voxel size must be between 0.1 and 20 mm, not " + inPlaneMm);
			if (!(thicknessMm >= 0.1 && thicknessMm <= 50))
				throw new InvalidInputException(SyntheticCtKeys.SPACING + ": the slice thickness must be between 0.1 and 50 mm, not " + thicknessMm);
			this.inPlaneMm = inPlaneMm;
			this.thicknessMm = thicknessMm;
			return this;
		}

		/**
		 * Voxel size as the command's text: {@code "in-plane,thickness"} in mm, e.g. {@code "3.0,4.0"};
		 * a blank text keeps the default.
		 */
		public Builder optSpacing(final String text) {
			if (text == null || text.isBlank()) {
				inPlaneMm = Double.NaN;
				thicknessMm = Double.NaN;
				return this;
			}
			final String[] parts = text.trim().split("\\s*[,x×]\\s*|\\s+");
			double a = Double.NaN, b = Double.NaN;
			if (parts.length == 2) {
				try {
					a = Double.parseDouble(parts[0]);
					b = Double.parseDouble(parts[1]);
				}
				catch (final NumberFormatException e) {
					a = Double.NaN;
				}
			}
			if (Double.isNaN(a) || Double.isNaN(b))
				throw new InvalidInputException(SyntheticCtKeys.SPACING + " must be two numbers in mm, 'in-plane,thickness' (e.g. '3.0,4.0'), not '" + text + "'");
			return optSpacing(a, b);
		}

		/** The settings; fails naming the key when a required key is missing or the volume is too large. */
		public SyntheticCtSettings build() {
			if (count < 0) throw new InvalidInputException(SyntheticCtKeys.COUNT + " is required: the number of volumes to generate");
			if (!seedSet) throw new InvalidInputException(SyntheticCtKeys.SEED + " is required: the random seed (any integer)");
			final long voxels = (long) size * size * slices;
			if (voxels > MAX_VOXELS)
				throw new InvalidInputException(SyntheticCtKeys.SIZE + " × " + SyntheticCtKeys.SIZE + " × " + SyntheticCtKeys.SLICES + " = " + size + " × " + size +
					" × " + slices + " voxels is more than the " + MAX_VOXELS + " (512 × 512 × 1024) a volume may have");
			return new SyntheticCtSettings(this);
		}
	}
}
