package io.github.unet3p.core.preprocess;

/**
 * The keys of {@code UNet3+ Preprocess} (macro, {@code --run}, model bundle JSON): lowercase
 * snake_case, declared once here.
 */
public final class PreprocessKeys {

	/** Folder of LiTS volumes, or one volume file. */
	public static final String INPUT = "input";
	/** Output folder that receives {@code images/} and {@code mask/}. */
	public static final String OUTPUT = "output";
	/** Lower end of the HU window (default −200). */
	public static final String HU_MIN = "hu_min";
	/** Upper end of the HU window (default 250). */
	public static final String HU_MAX = "hu_max";
	/** Side of the square output slices in pixels (default 320). */
	public static final String SIZE = "size";
	/** Whether to replace the slices an output folder already holds (default false: refuse). */
	public static final String OVERWRITE = "overwrite";

	private PreprocessKeys() {}
}
