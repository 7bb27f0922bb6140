package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.bioimageio.PackageChecker;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.nifti.NiftiDatatype;
import io.github.unet3p.core.volume.nifti.NiftiHeader;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinyBundles;

/**
 * {@code UNet3+ Export} with {@code format=bioimageio} through the launcher, and {@code UNet3+
 * Segment Files} with the package it writes as {@code model}: the same label files as with the
 * bundle, for the zip and the folder, on both engines.
 */
class ExportPackageCommandTest {

	private static final String EXPORT = "UNet3+ Export", SEGMENT = "UNet3+ Segment Files";

	@TempDir
	static Path shared;
	static Path bundle, zip, folder, ct;

	@TempDir
	Path tmp;

	@BeforeAll
	static void export() throws IOException {
		bundle = TinyBundles.write(shared.resolve("model"), 2, 32, 4);
		zip = shared.resolve("liver.zip");
		folder = shared.resolve("liver-package");
		final Launch.Outcome z = Launch.run(EXPORT, "model='" + bundle + "',output='" + zip + "',format=bioimageio,authors='Ada Lovelace, Alan Turing'");
		assertEquals(0, z.status(), z.text());
		assertEquals(0, Launch.run(EXPORT, "model='" + bundle + "',output='" + folder + "',format=bioimageio").status());
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(1).setSeed(8).optSize(48).optSlices(6).optSpacing(3, 5).build();
		final Volume v = RandSyntheticCt.generate(s, 0).ct();
		ct = shared.resolve("ct/volume-0.nii");
		Files.createDirectories(ct.getParent());
		NiftiWriter.write(ct, v, NiftiHeader.create(v.dimensions(), NiftiDatatype.forType(v.raw().getType()), v.geometry()));
	}

	@Test
	void theZipAndTheFolderAreValidPackages() throws IOException {
		final Path unzipped = tmp.resolve("unzipped");
		try (ZipFile z = new ZipFile(zip.toFile())) {
			final Enumeration<? extends ZipEntry> e = z.entries();
			while (e.hasMoreElements()) {
				final ZipEntry entry = e.nextElement();
				final Path t = unzipped.resolve(entry.getName());
				Files.createDirectories(t.getParent());
				try (InputStream in = z.getInputStream(entry)) {
					Files.copy(in, t);
				}
			}
		}
		assertEquals(List.of(), PackageChecker.check(unzipped));
		assertEquals(List.of(), PackageChecker.check(folder));
		assertTrue(Files.readString(unzipped.resolve("rdf.yaml")).contains("- name: \"Alan Turing\""));
	}

	@Test
	void segmentFilesWritesTheSameLabelsWithThePackageAsWithTheBundle() throws IOException {
		for (final String engine : List.of("pytorch", "onnxruntime")) {
			final byte[] reference = segment(bundle, engine);
			assertArrayEquals(reference, segment(zip, engine), "zip package, " + engine);
			assertArrayEquals(reference, segment(folder, engine), "folder package, " + engine);
		}
	}

	private byte[] segment(final Path model, final String engine) throws IOException {
		final Path out = tmp.resolve(engine + "-" + model.getFileName() + ".nii");
		final Launch.Outcome r = Launch.run(SEGMENT, "model='" + model + "',input='" + ct + "',output='" + out + "',engine=" + engine);
		assertEquals(0, r.status(), r.text());
		return Files.readAllBytes(out);
	}

	@Test
	void userErrorsAreNamedAndWriteNothing() throws IOException {
		final Launch.Outcome noOutput = Launch.run(EXPORT, "model='" + bundle + "',format=bioimageio");
		assertEquals(1, noOutput.status());
		assertTrue(noOutput.err().contains("format=bioimageio needs output"), noOutput.err());
		final Launch.Outcome exists = Launch.run(EXPORT, "model='" + bundle + "',output='" + zip + "',format=bioimageio");
		assertEquals(1, exists.status());
		assertTrue(exists.err().contains("overwrite=true"), exists.err());
		final Path notAPackage = Files.createDirectories(tmp.resolve("results"));
		Files.writeString(notAPackage.resolve("keep.txt"), "mine");
		final Launch.Outcome folderOfOthers = Launch.run(EXPORT, "model='" + bundle + "',output='" + notAPackage + "',format=bioimageio,overwrite=true");
		assertEquals(1, folderOfOthers.status());
		assertTrue(folderOfOthers.err().contains("no rdf.yaml"), folderOfOthers.err());
		assertEquals("mine", Files.readString(notAPackage.resolve("keep.txt")));
		final Launch.Outcome badFormat = Launch.run(EXPORT, "model='" + bundle + "',output='" + tmp.resolve("x.zip") + "',format=zoo");
		assertEquals(1, badFormat.status());
		assertTrue(badFormat.err().contains("format"), badFormat.err());
		assertFalse(Files.exists(tmp.resolve("x.zip")));
		assertFalse(badFormat.err().contains("\tat "), badFormat.err());
	}
}
