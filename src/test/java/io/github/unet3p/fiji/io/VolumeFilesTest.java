package io.github.unet3p.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.tiff.TiffCodec;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import io.github.unet3p.testsupport.TinyDicom;
import net.imglib2.img.array.ArrayImgs;

class VolumeFilesTest {

	@TempDir
	Path dir;

	private static Volume sample() {
		return new Volume(ArrayImgs.shorts(new short[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 2, 2), 1, -1024, VolumeGeometry.ofSpacing(0.5, 0.5, 2));
	}

	@Test
	void readsTiffStacks() throws IOException {
		final Path f = dir.resolve("ct.TIF");
		TiffCodec.writeVolume(f, sample(), TiffCodec.Compression.NONE);
		final Volume v = VolumeFiles.read(f);
		assertArrayEquals(new long[] { 2, 2, 2 }, v.dimensions());
		assertEquals(-1023, v.values().randomAccess().setPositionAndGet(0, 0, 0).getRealDouble());
	}

	@Test
	void readsDicomFoldersAndSingleDicomFiles() throws IOException {
		for (int s = 0; s < 2; s++)
			TinyDicom.ct(3, 2).position(0, 0, s).write(dir.resolve("s" + s + ".dcm"));
		assertEquals(2, VolumeFiles.read(dir).size(2));
		assertEquals(2, VolumeFiles.read(dir.resolve("s1.dcm")).size(2));
	}

	@Test
	void readsNifti() {
		final Path f = dir.resolve("volume-0.nii.gz");
		NiftiWriter.write(f, sample());
		assertEquals(-1022, VolumeFiles.read(f).values().randomAccess().setPositionAndGet(1, 0, 0).getRealDouble());
	}

	@Test
	void refusesUnknownFormatsListingTheSupportedOnes() throws IOException {
		Files.writeString(dir.resolve("scan.mha"), "x");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> VolumeFiles.read(dir.resolve("scan.mha")));
		assertTrue(e.getMessage().contains("scan.mha") && e.getMessage().contains(VolumeFiles.SUPPORTED), e.getMessage());
		final Path empty = Files.createDirectory(dir.resolve("empty"));
		final InvalidInputException f = assertThrows(InvalidInputException.class, () -> VolumeFiles.read(empty));
		assertTrue(f.getMessage().contains("no DICOM files") && f.getMessage().contains(VolumeFiles.SUPPORTED), f.getMessage());
		assertThrows(InvalidInputException.class, () -> VolumeFiles.read(dir.resolve("missing.nii")));
	}
}
