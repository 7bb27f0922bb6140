package io.github.unet3p.core.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiWriter;

/**
 * Writes a synthetic dataset in the LiTS layout: {@code volume-N.nii.gz} (int16 HU) and
 * {@code segmentation-N.nii.gz} (uint8: 0 background, 1 liver, 2 tumour) for N = 0 … count − 1.
 */
public final class SyntheticDataset {

	/** The task name progress is reported under. */
	public static final String TASK = "Synthetic CT";

	private SyntheticDataset() {}

	/** The CT file name of case {@code n}: {@code volume-n.nii.gz}. */
	public static String volumeName(final int n) {
		return "volume-" + n + ".nii.gz";
	}

	/** The label file name of case {@code n}: {@code segmentation-n.nii.gz}. */
	public static String segmentationName(final int n) {
		return "segmentation-" + n + ".nii.gz";
	}

	/**
	 * Generates every case of {@code settings} and writes it into {@code folder} (created if
	 * missing; files of the same names are replaced). Each file is written atomically, one case at
	 * a time, so cancelling keeps the cases already written.
	 *
	 * @return the files written, in order: volume-0, segmentation-0, volume-1, …
	 * @throws InvalidInputException if the folder is a file or cannot be created or written
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled between cases
	 */
	public static List<Path> write(final Path folder, final SyntheticCtSettings settings, final ProgressListener progress,
			final Cancellation cancel) {
		if (Files.exists(folder) && !Files.isDirectory(folder))
			throw new InvalidInputException(folder + " is a file; the synthetic dataset needs an output folder");
		try {
			Files.createDirectories(folder);
		}
		catch (final IOException e) {
			throw new InvalidInputException(folder + ": cannot create the output folder (" + e.getMessage() + ")", e);
		}
		final List<Path> written = new ArrayList<>();
		final int count = settings.count();
		progress.progress(TASK, 0, count);
		for (int n = 0; n < count; n++) {
			cancel.check(TASK);
			final SyntheticCase c = RandSyntheticCt.generate(settings, n);
			final Path ct = folder.resolve(volumeName(n)), labels = folder.resolve(segmentationName(n));
			NiftiWriter.write(ct, c.ct());
			NiftiWriter.write(labels, c.labels());
			written.add(ct);
			written.add(labels);
			progress.progress(TASK, n + 1, count);
			progress.message("Wrote " + ct.getFileName() + " and " + labels.getFileName());
		}
		return written;
	}
}
