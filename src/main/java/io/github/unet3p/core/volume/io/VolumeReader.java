package io.github.unet3p.core.volume.io;

import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.tiff.TiffCodec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Reads a CT volume from a path, whatever its format: the role that batch segmentation and
 * evaluation read their inputs through. {@link #coreFormats()} reads what this package reads
 * (NIfTI-1 and grey TIFF stacks); a door that can read more (the Fiji side adds DICOM series
 * through ImageJ 1.x's decoder, {@code fiji.io.VolumeFiles}) passes its own.
 */
public interface VolumeReader {

	/**
	 * Reads the volume at {@code path}.
	 *
	 * @throws InvalidInputException naming the path when it does not exist, its format is not
	 *             supported, or its reader refuses it
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled
	 */
	Volume read(Path path, ProgressListener progress, Cancellation cancel);

	/** Whether the folder {@code folder} is itself one volume (a DICOM series folder). */
	boolean isVolumeFolder(Path folder);

	/** The supported inputs, for messages. */
	String supported();

	/** NIfTI-1 ({@code .nii}, {@code .nii.gz}) and grey TIFF stacks ({@code .tif}, {@code .tiff}); no folder is a volume. */
	static VolumeReader coreFormats() {
		return CoreFormats.INSTANCE;
	}

	/** The reader of {@link #coreFormats()}. */
	final class CoreFormats implements VolumeReader {

		static final CoreFormats INSTANCE = new CoreFormats();

		private CoreFormats() {}

		@Override
		public Volume read(final Path path, final ProgressListener progress, final Cancellation cancel) {
			if (!Files.exists(path)) throw new InvalidInputException("Input " + path + " does not exist; expected " + supported());
			final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
			if (!Files.isDirectory(path)) {
				if (name.endsWith(".nii") || name.endsWith(".nii.gz")) return NiftiReader.read(path, progress, cancel).volume();
				if (name.endsWith(".tif") || name.endsWith(".tiff")) return TiffCodec.readVolume(path, progress, cancel);
			}
			throw new InvalidInputException("Cannot read " + path + ": unsupported format; expected " + supported());
		}

		@Override
		public boolean isVolumeFolder(final Path folder) {
			return false;
		}

		@Override
		public String supported() {
			return "NIfTI-1 (.nii, .nii.gz) or a grey TIFF stack (.tif, .tiff)";
		}
	}
}
