package io.github.unet3p.core.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiHeader;
import io.github.unet3p.core.volume.nifti.NiftiImage;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.io.VolumeReader;

/**
 * Segments volume files one at a time with one open model and writes each one's label file (and
 * probability maps) as {@code UNet3+ Segment Files} does: the batch behaviour of every door (the
 * Fiji command runs {@link #run} over its planned {@link SegmentTargets.Job}s; the Spark door calls
 * {@link #segment} once per volume and task).
 *
 * <p>Files: NIfTI inputs give labels with the input's own header (same dimensions, qform, sform,
 * pixdim, units; datatype uint8, no scaling); other inputs a fresh header from their geometry.
 * Every file is written atomically ({@link AtomicFiles}); probability maps first, the label file
 * last, so a label file means its volume is complete.
 */
public final class FolderSegmentation {

	/** What {@link #run} does with outputs that already exist. */
	public enum Existing {
		/** Refuse to start when any output exists (the default). */
		REFUSE,
		/** Replace them ({@code overwrite=true}). */
		OVERWRITE,
		/** Segment only the inputs whose label file does not exist ({@code skip_existing=true}). */
		SKIP;

		/**
		 * The mode of the {@code overwrite} and {@code skip_existing} key values.
		 *
		 * @throws InvalidInputException when both are true: they exclude each other
		 */
		public static Existing of(final boolean overwrite, final boolean skipExisting) {
			if (overwrite && skipExisting)
				throw new InvalidInputException(SegmentFilesKeys.OVERWRITE + "=true and " + SegmentFilesKeys.SKIP_EXISTING + "=true exclude each other: "
						+ SegmentFilesKeys.OVERWRITE + " replaces existing outputs, " + SegmentFilesKeys.SKIP_EXISTING + " keeps them; set only one.");
			return overwrite ? OVERWRITE : skipExisting ? SKIP : REFUSE;
		}
	}

	/**
	 * What segmenting one volume gave.
	 *
	 * @param foregroundMl the foreground volume in millilitres
	 * @param foregroundVoxels the foreground voxels
	 * @param slices the volume's slices (its third dimension)
	 * @param seconds wall time of reading, segmenting and writing
	 */
	public record Outcome(double foregroundMl, long foregroundVoxels, long slices, double seconds) {}

	private final ProbabilityModel net;
	private final PreprocessSettings preparation;
	private final InferenceSettings settings;
	private final VolumeReader reader;

	/**
	 * Segmentation with {@code net}, prepared by {@code preparation} (the model's own), in
	 * {@code settings}, reading non-NIfTI inputs with {@code reader}.
	 */
	public FolderSegmentation(final ProbabilityModel net, final PreprocessSettings preparation, final InferenceSettings settings,
			final VolumeReader reader) {
		this.net = Objects.requireNonNull(net, "net");
		this.preparation = Objects.requireNonNull(preparation, "preparation");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.reader = Objects.requireNonNull(reader, "reader");
	}

	/**
	 * Segments the {@code planned} jobs one at a time, reporting each volume through
	 * {@code progress}. Before any work: deletes the temporary files a killed run left beside the
	 * outputs, then skips the finished jobs ({@link Existing#SKIP}) or refuses existing outputs
	 * ({@link Existing#REFUSE}). A volume that cannot be read or segmented is reported by name and
	 * the others go on. Call it only while no other run writes into {@code output} (under a
	 * {@link io.github.unet3p.core.util.FolderLock}).
	 *
	 * @param output the output the user gave (a folder or the label file), for messages
	 * @param model what to call the model in messages (its path, architecture and settings)
	 * @throws InvalidInputException naming every failed input when any failed (after the others were
	 *             written), or the existing outputs for {@link Existing#REFUSE}
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled (between volumes or batches)
	 */
	public void run(final List<SegmentTargets.Job> planned, final Existing existing, final Path output, final String model,
			final ProgressListener progress, final Cancellation cancel) throws IOException {
		int leftovers = 0;
		for (final SegmentTargets.Job job : planned)
			for (final Path out : job.outputs())
				leftovers += AtomicFiles.deleteLeftovers(out);
		if (leftovers > 0) progress.message("Deleted " + leftovers + " temporary file(s) left in " + output + " by an interrupted run");
		final boolean skip = existing == Existing.SKIP;
		final List<SegmentTargets.Job> jobs = skip ? SegmentTargets.unfinished(planned) : planned;
		if (skip) {
			for (final SegmentTargets.Job job : planned)
				if (!jobs.contains(job)) progress.message("Skipped " + job.name() + ": " + job.labels() + " exists (" + SegmentFilesKeys.SKIP_EXISTING + "=true)");
		}
		else SegmentTargets.checkExisting(jobs, existing == Existing.OVERWRITE, SegmentFilesKeys.OVERWRITE);
		final int skipped = planned.size() - jobs.size();
		if (!jobs.isEmpty()) progress.message(String.format(Locale.ROOT, "Segmenting %d volume(s) with %s", jobs.size(), model));
		final List<String> failed = new ArrayList<>();
		double totalMl = 0;
		for (int i = 0; i < jobs.size(); i++) {
			final SegmentTargets.Job job = jobs.get(i);
			cancel.check("Segmentation");
			final String task = jobs.size() == 1 ? "Segmenting " + job.name() : String.format(Locale.ROOT, "Segmenting %s (%d/%d)", job.name(), i + 1, jobs.size());
			try {
				final Outcome o = segment(job, renamed(progress, task), cancel);
				progress.message(message(job, o));
				totalMl += o.foregroundMl();
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
				planned.size(), SegmentFilesKeys.SKIP_EXISTING));
	}

	/**
	 * Reads, segments and writes one volume: {@code job}'s probability maps (when it has any), then
	 * its label file, each atomically. Replaces existing files.
	 *
	 * @param progress receives the volume's batch progress
	 * @throws InvalidInputException naming the input when it cannot be read or segmented, or an
	 *             output when it cannot be written
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled; no output of this call is then
	 *             left half-written
	 */
	public Outcome segment(final SegmentTargets.Job job, final ProgressListener progress, final Cancellation cancel) {
		final long t0 = System.nanoTime();
		final Volume ct;
		final NiftiHeader header;
		if (SegmentTargets.isNifti(job.input())) {
			final NiftiImage image = NiftiReader.read(job.input(), ProgressListener.NONE, cancel);
			ct = image.volume();
			header = image.header();
		}
		else {
			ct = reader.read(job.input(), ProgressListener.NONE, cancel);
			header = null;
		}
		final SegmentationResult result = VolumeSegmenter.segment(ct, preparation, net, settings, progress, cancel);
		final List<Volume> maps = result.probabilities();
		for (int c = 0; c < job.probabilities().size(); c++)
			write(job.probabilities().get(c), maps.get(c), header, cancel);
		write(job.labels(), result.labels(), header, cancel);
		return new Outcome(result.foregroundMl(), result.foregroundVoxels(), ct.size(2), (System.nanoTime() - t0) / 1e9);
	}

	/** The line reporting a segmented volume. */
	public static String message(final SegmentTargets.Job job, final Outcome o) {
		return message(job.name(), job.labels().toString(), o);
	}

	/** The line reporting the volume {@code name} segmented into the label file {@code labels}. */
	public static String message(final String name, final String labels, final Outcome o) {
		return String.format(Locale.ROOT, "%s -> %s: %.1f ml foreground (%d voxels), %d slices in %.1f s (%.2f slices/s)", name, labels,
				o.foregroundMl(), o.foregroundVoxels(), o.slices(), o.seconds(), o.slices() / o.seconds());
	}

	private static void write(final Path file, final Volume volume, final NiftiHeader header, final Cancellation cancel) {
		if (header != null) NiftiWriter.write(file, volume, header, ProgressListener.NONE, cancel);
		else NiftiWriter.write(file, volume);
	}

	/** {@code progress} with every task reported as {@code task} (a volume's name and number). */
	public static ProgressListener renamed(final ProgressListener progress, final String task) {
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
