package io.github.unet3p.core.infer;

/**
 * The keys of batch segmentation ({@code UNet3+ Segment Files} in Fiji and the launcher, the same
 * command on Spark) beyond the {@link InferenceKeys}: lowercase snake_case, declared once here.
 */
public final class SegmentFilesKeys {

	/** The model bundle folder or {@code .zip}. */
	public static final String MODEL = "model";
	/** The volume file, DICOM series folder or folder of volumes (on Spark also a list file). */
	public static final String INPUT = "input";
	/** The label file (one input) or output folder. */
	public static final String OUTPUT = "output";
	/** Replace existing output files (default off). */
	public static final String OVERWRITE = "overwrite";
	/** Segment only the inputs whose label file does not exist yet (default off). */
	public static final String SKIP_EXISTING = "skip_existing";

	private SegmentFilesKeys() {}
}
