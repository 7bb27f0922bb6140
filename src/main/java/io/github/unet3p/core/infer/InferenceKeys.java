package io.github.unet3p.core.infer;

/**
 * The inference keys of {@code UNet3+ Segment} and {@code UNet3+ Segment Files} (macro,
 * {@code --run}): lowercase snake_case, declared once here.
 */
public final class InferenceKeys {

	/** Slices per model call (default 4). */
	public static final String BATCH = "batch";
	/** Keep only the largest 26-connected foreground component (default off). */
	public static final String LARGEST_COMPONENT = "largest_component";
	/** Fill background cavities that do not reach the volume border (default off). */
	public static final String FILL_HOLES = "fill_holes";
	/** Average the probabilities of each slice and of its horizontal mirror (default off). */
	public static final String TTA_FLIP = "tta_flip";
	/** Also return one float probability volume per class (default off). */
	public static final String PROBABILITIES = "probabilities";

	private InferenceKeys() {}
}
