package io.github.unet3p.fiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small CT DICOM series for tests outside this package (built with {@link TinyDicom}). */
public final class DicomFixtures {

	private DicomFixtures() {}

	/**
	 * Writes an axial 4×3 series of the given slice positions (z in mm) into {@code folder}, one
	 * file per slice named {@code prefix + index + ".dcm"}.
	 */
	public static void axialSeries(final Path folder, final String seriesUid, final String prefix, final double... z) throws IOException {
		Files.createDirectories(folder);
		for (int s = 0; s < z.length; s++)
			TinyDicom.ct(4, 3).series(seriesUid).instance(s + 1, seriesUid + "." + (s + 1)).position(0, 0, z[s])
					.write(folder.resolve(prefix + s + ".dcm"));
	}
}
