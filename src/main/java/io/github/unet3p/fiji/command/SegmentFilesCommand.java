package io.github.unet3p.fiji.command;

import java.io.File;
import java.util.List;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.FolderSegmentation;
import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.SegmentFilesKeys;
import io.github.unet3p.core.infer.SegmentTargets;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.util.FolderLock;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * {@code UNet3+ Segment Files}: segments CT volumes on disk with a trained model bundle and writes
 * uint8 label volumes (0 = background, 1 = liver) as NIfTI in each input's own voxel grid.
 *
 * <p>The work is the core's {@link FolderSegmentation}, the naming rules {@link SegmentTargets}; this
 * command resolves the keys, opens the model and locks the output folder.
 *
 * <p>Inputs and names: a NIfTI, TIFF or DICOM file, a DICOM series
 * folder, or a folder of volumes ({@code volume-N.nii[.gz]} → {@code output/segmentation-N.nii.gz};
 * any other {@code x.nii[.gz]} → {@code output/x-labels.nii.gz}). One input and an output ending in
 * {@code .nii}/{@code .nii.gz} writes exactly that file; otherwise {@code output} is a folder.
 *
 * <p>NIfTI input: the labels are written with the input's own header (same dimensions, qform,
 * sform, pixdim, units; datatype uint8, no scaling), so they overlay the CT in any viewer. Other
 * inputs get a fresh header from their geometry. Every file is written atomically; with
 * {@code probabilities=true} the probability maps are written first and the labels last, so a
 * label file means the volume is complete. Existing outputs are refused before any work starts
 * unless {@code overwrite=true} (replace them) or {@code skip_existing=true} (skip every input whose
 * label file exists and segment the others, replacing probability maps an interrupted run left
 * without their label file); the two keys exclude each other.
 *
 * <p>The output folder (a single label file's parent folder) is locked for the whole run
 * ({@link FolderLock}), so a second run into it is refused instead of interleaving; the lock dies
 * with a killed process. Under the lock, temporary files a killed run left beside this run's
 * outputs are deleted. So a batch killed at any moment is finished by a rerun with
 * {@code skip_existing=true}.
 *
 * <p>A volume that fails (unreadable, corrupt) is reported by name and skipped; the others are
 * segmented; the command then fails listing every failed input, so a batch job exits non-zero.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Segment Files", headless = true)
public class SegmentFilesCommand extends UNet3pCommand {

	/** Key: replace existing output files. */
	public static final String OVERWRITE = SegmentFilesKeys.OVERWRITE;
	/** Key: skip inputs whose label file exists. */
	public static final String SKIP_EXISTING = SegmentFilesKeys.SKIP_EXISTING;

	@Parameter(label = "Model (bundle folder or .zip)", style = "both", description = "a folder written by UNet3+ Train (unet3p.json + weights.params), or a .zip of it")
	File model;

	@Parameter(label = "Input (file or folder)", style = "both", description = "a NIfTI/TIFF/DICOM volume, a DICOM series folder, or a folder of volume-N.nii[.gz]")
	File input;

	@Parameter(label = "Output (file or folder)", style = "both", description = "x.nii.gz for one input, else a folder (segmentation-N.nii.gz, x-labels.nii.gz)")
	File output;

	@Parameter(label = "Batch size (slices per model call)", min = "1", required = false)
	int batch = InferenceSettings.DEFAULT_BATCH;

	@Parameter(label = "Keep the largest connected component", required = false)
	boolean largest_component;

	@Parameter(label = "Fill holes", required = false)
	boolean fill_holes;

	@Parameter(label = "Test-time flip (average with the mirrored slice)", required = false)
	boolean tta_flip;

	@Parameter(label = "Also write probability maps", required = false, description = "<labels>-prob-<class>.nii.gz, float32")
	boolean probabilities;

	@Parameter(label = InferenceOptions.PRECISION_LABEL, choices = { InferenceKeys.PRECISION_FP32, InferenceKeys.PRECISION_FP32_FOLDED, InferenceKeys.PRECISION_FP16 }, required = false,
			description = InferenceOptions.PRECISION_DESCRIPTION)
	String precision = Precision.DEFAULT.key();

	@Parameter(label = InferenceOptions.ENGINE_LABEL, choices = { InferenceKeys.ENGINE_AUTO, InferenceKeys.ENGINE_PYTORCH, InferenceKeys.ENGINE_ONNXRUNTIME }, required = false,
			description = InferenceOptions.ENGINE_DESCRIPTION)
	String engine = InferenceKeys.ENGINE_DEFAULT;

	@Parameter(label = "Overwrite existing outputs", required = false, persist = false)
	boolean overwrite;

	@Parameter(label = "Skip inputs whose label file exists", required = false, description = "resume a batch: segment only the inputs without a label file", persist = false)
	boolean skip_existing;

	@Override
	protected void execute() throws Exception {
		final FolderSegmentation.Existing existing = FolderSegmentation.Existing.of(overwrite, skip_existing);
		final InferenceSettings settings = InferenceOptions.settings(batch, largest_component, fill_holes, tta_flip, probabilities, precision, engine);
		try (BundleModel net = InferenceOptions.open(model, settings, progress()::message)) {
			final List<SegmentTargets.Job> planned = SegmentTargets.plan(input.toPath(), output.toPath(), net.classes(), probabilities, VolumeFiles.READER);
			try (FolderLock lock = FolderLock.acquire(SegmentTargets.folder(output.toPath()))) {
				new FolderSegmentation(net, net.preparation(), settings, VolumeFiles.READER).run(planned, existing, output.toPath(),
						String.format(Locale.ROOT, "%s (%s; %s)", model, net.bundle().architecture(), settings), progress(), cancellation());
			}
		}
	}

	/** {@code progress} with every task reported as {@code task} (the volume's name and number). */
	static ProgressListener renamed(final ProgressListener progress, final String task) {
		return FolderSegmentation.renamed(progress, task);
	}
}
