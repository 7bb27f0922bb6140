package io.github.unet3p.fiji.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.tiff.TiffCodec;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.io.VolumeReader;

/**
 * The one entry point that reads a CT volume from a path, choosing the reader by what the path is:
 * {@code .nii} / {@code .nii.gz} → NIfTI-1, {@code .tif} / {@code .tiff} → grey TIFF stack, a
 * folder (or one {@code .dcm} file) → DICOM CT series. Anything else is refused with the list of
 * supported formats. {@link #READER} is the same as the core's {@link VolumeReader} role.
 */
public final class VolumeFiles {

	/** {@link #read(Path, ProgressListener, Cancellation)} as a {@link VolumeReader}: a DICOM series folder is a volume. */
	public static final VolumeReader READER = new VolumeReader() {
		@Override
		public Volume read(final Path path, final ProgressListener progress, final Cancellation cancel) {
			return VolumeFiles.read(path, progress, cancel);
		}

		@Override
		public boolean isVolumeFolder(final Path folder) {
			return DicomSeriesReader.containsDicom(folder);
		}

		@Override
		public String supported() {
			return SUPPORTED;
		}
	};

	/** The supported inputs, for messages and help texts. */
	public static final String SUPPORTED = "NIfTI-1 (.nii, .nii.gz), a grey TIFF stack (.tif, .tiff), "
			+ "or a DICOM CT series (a folder of DICOM files, or one .dcm file of the series)";

	private VolumeFiles() {}

	/** Reads the volume at {@code path}; see {@link #read(Path, ProgressListener, Cancellation)}. */
	public static Volume read(final Path path) {
		return read(path, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Reads the volume at {@code path}.
	 *
	 * @throws InvalidInputException naming the path when it does not exist, is not one of the
	 *             {@link #SUPPORTED} formats, or its reader refuses it
	 */
	public static Volume read(final Path path, final ProgressListener progress, final Cancellation cancel) {
		if (!Files.exists(path)) throw new InvalidInputException("Input " + path + " does not exist; expected " + SUPPORTED);
		if (Files.isDirectory(path)) {
			if (!DicomSeriesReader.containsDicom(path))
				throw new InvalidInputException("Folder " + path + " holds no DICOM files; expected " + SUPPORTED);
			return DicomSeriesReader.read(path, progress, cancel);
		}
		final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".nii") || name.endsWith(".nii.gz")) return NiftiReader.read(path, progress, cancel).volume();
		if (name.endsWith(".tif") || name.endsWith(".tiff")) return TiffCodec.readVolume(path, progress, cancel);
		if (name.endsWith(".dcm") || DicomSliceHeader.hasPreamble(path)) return DicomSeriesReader.readSeriesOf(path, progress, cancel);
		throw new InvalidInputException("Cannot read " + path + ": unsupported format; expected " + SUPPORTED);
	}
}
