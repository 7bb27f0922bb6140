package io.github.unet3p.core.synth;

/**
 * The keys of the synthetic CT settings, as they appear in commands, macros and error messages.
 */
public final class SyntheticCtKeys {

	/** Number of volumes to write. */
	public static final String COUNT = "count";

	/** In-plane size: every axial slice is {@code size × size} voxels. */
	public static final String SIZE = "size";

	/** Number of axial slices per volume. */
	public static final String SLICES = "slices";

	/** Seed of the random anatomy and noise. */
	public static final String SEED = "seed";

	/** Voxel size in mm: {@code in-plane,thickness}. */
	public static final String SPACING = "spacing";

	private SyntheticCtKeys() {}
}
