package io.github.unet3p.fiji.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.SegmentationResult;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.FolderLock;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.NiftiHeader;
import io.github.unet3p.core.volume.NiftiImage;
import io.github.unet3p.core.volume.NiftiReader;
import io.github.unet3p.core.volume.NiftiWriter;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * {@code UNet3+ Segment Files}: segments CT volumes on disk with a trained model bundle and writes
 * uint8 label volumes (0 = background, 1 = liver) as NIfTI in each input's own voxel grid.
 *
 * <p>Inputs and names (see {@link SegmentTargets}): a NIfTI, TIFF or DICOM file, a DICOM series
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
	public static final String OVERWRITE = "overwrite";
	/** Key: skip inputs whose label file exists. */
	public static final String SKIP_EXISTING = "skip_existing";

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

	@Parameter(label = InferenceOptions.PRECISION_LABEL, choices = { InferenceKeys.PRECISION_FP32, InferenceKeys.PRECISION_FP32_FOLDED }, required = false,
			description = InferenceOptions.PRECISION_DESCRIPTION)
	String precision = InferenceKeys.PRECISION_FP32;

	@Parameter(label = InferenceOptions.ENGINE_LABEL, choices = { InferenceKeys.ENGINE_PYTORCH, InferenceKeys.ENGINE_ONNXRUNTIME }, required = false,
			description = InferenceOptions.ENGINE_DESCRIPTION)
	String engine = InferenceKeys.ENGINE_DEFAULT;

	@Parameter(label = "Overwrite existing outputs", required = false)
	boolean overwrite;

	@Parameter(label = "Skip inputs whose label file exists", required = false, description = "resume a batch: segment only the inputs without a label file")
	boolean skip_existing;

	@Override
	protected String title() {
		return "UNet3+ Segment Files";
	}

	@Override
	protected void execute() throws Exception {
		if (overwrite && skip_existing)
			throw new InvalidInputException(OVERWRITE + "=true and " + SKIP_EXISTING + "=true exclude each other: " + OVERWRITE + " replaces existing outputs, "
					+ SKIP_EXISTING + " keeps them; set only one.");
		final InferenceSettings settings = InferenceOptions.settings(batch, largest_component, fill_holes, tta_flip, probabilities, precision, engine);
		final ProgressListener progress = progress();
		try (BundleModel net = InferenceOptions.open(model, settings)) {
			final List<SegmentTargets.Job> planned = SegmentTargets.plan(input.toPath(), output.toPath(), net.classes(), probabilities);
			try (FolderLock lock = FolderLock.acquire(SegmentTargets.folder(output.toPath()))) {
				run(net, planned, settings, progress);
			}
		}
	}

	/** Segments the planned jobs; runs under the output folder's lock. */
	private void run(final BundleModel net, final List<SegmentTargets.Job> planned, final InferenceSettings settings, final ProgressListener progress)
			throws IOException {
		int leftovers = 0;
		for (final SegmentTargets.Job job : planned)
			for (final Path out : job.outputs())
				leftovers += AtomicFiles.deleteLeftovers(out);
		if (leftovers > 0) progress.message("Deleted " + leftovers + " temporary file(s) left in " + output + " by an interrupted run");
		final List<SegmentTargets.Job> jobs = skip_existing ? SegmentTargets.unfinished(planned) : planned;
		if (skip_existing) {
			for (final SegmentTargets.Job job : planned)
				if (!jobs.contains(job)) progress.message("Skipped " + job.name() + ": " + job.labels() + " exists (" + SKIP_EXISTING + "=true)");
		}
		else SegmentTargets.checkExisting(jobs, overwrite, OVERWRITE);
		final int skipped = planned.size() - jobs.size();
		if (!jobs.isEmpty())
			progress.message(String.format(Locale.ROOT, "Segmenting %d volume(s) with %s (%s; %s)", jobs.size(), model, net.bundle().architecture(), settings));
		final List<String> failed = new ArrayList<>();
		double totalMl = 0;
		for (int i = 0; i < jobs.size(); i++) {
			final SegmentTargets.Job job = jobs.get(i);
			cancellation().check("Segmentation");
			final String task = jobs.size() == 1 ? "Segmenting " + job.name() : String.format(Locale.ROOT, "Segmenting %s (%d/%d)", job.name(), i + 1, jobs.size());
			try {
				totalMl += segment(net, job, settings, task, progress);
			}
			catch (final InvalidInputException e) {
				failed.add(job.input().toString());
				progress.message("FAILED " + job.input() + ": " + e.getMessage());
			}
		}
		if (!failed.isEmpty())
			throw new InvalidInputException(failed.size() + " of " + jobs.size() + " volume(s) could not be segmented: " + String.join(", ", failed)
					+ " (the others were written to " + output + ").");
		if (jobs.size() > 1) progress.message(String.format(Locale.ROOT, "%d volumes segmented, %.1f ml foreground in all, in %s", jobs.size(), totalMl, output));
		if (skipped > 0) progress.message(String.format(Locale.ROOT, "%d of %d volume(s) skipped: their label files already existed (%s=true)", skipped,
				planned.size(), SKIP_EXISTING));
	}

	/** Reads, segments and writes one volume; returns its foreground in ml. */
	private double segment(final BundleModel net, final SegmentTargets.Job job, final InferenceSettings settings, final String task,
			final ProgressListener progress) {
		final long t0 = System.nanoTime();
		final Volume ct;
		final NiftiHeader header;
		if (SegmentTargets.isNifti(job.input())) {
			final NiftiImage image = NiftiReader.read(job.input(), ProgressListener.NONE, cancellation());
			ct = image.volume();
			header = image.header();
		}
		else {
			ct = VolumeFiles.read(job.input(), ProgressListener.NONE, cancellation());
			header = null;
		}
		final SegmentationResult result = VolumeSegmenter.segment(ct, net.preparation(), net, settings, renamed(progress, task), cancellation());
		final List<Volume> maps = result.probabilities();
		for (int c = 0; c < job.probabilities().size(); c++)
			write(job.probabilities().get(c), maps.get(c), header);
		write(job.labels(), result.labels(), header);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		progress.message(String.format(Locale.ROOT, "%s -> %s: %.1f ml foreground (%d voxels), %d slices in %.1f s (%.2f slices/s)", job.name(),
				job.labels(), result.foregroundMl(), result.foregroundVoxels(), ct.size(2), seconds, ct.size(2) / seconds));
		return result.foregroundMl();
	}

	private void write(final Path file, final Volume volume, final NiftiHeader header) {
		if (header != null) NiftiWriter.write(file, volume, header, ProgressListener.NONE, cancellation());
		else NiftiWriter.write(file, volume);
	}

	/** {@code progress} with every task reported as {@code task} (the volume's name and number). */
	static ProgressListener renamed(final ProgressListener progress, final String task) {
		return new ProgressListener() {
			@Override
			public void progress(final String ignored, final long done, final long total) {
				progress.progress(task, done, total);
			}

			@Override
			public void message(final String text) {
				progress.message(text);
			}
		};
	}
}
