package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.util.FolderLock;
import io.github.unet3p.core.volume.nifti.NiftiDatatype;
import io.github.unet3p.core.volume.nifti.NiftiHeader;
import io.github.unet3p.core.volume.nifti.NiftiImage;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.tiff.TiffCodec;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.testsupport.Launch;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * {@code UNet3+ Segment Files} through the launcher, with an untrained tiny model on small synthetic
 * CTs: outputs in the input's grid and header, folder naming, a corrupt volume among good ones,
 * refusal to overwrite, probability maps, resuming with skip_existing, the output folder's lock.
 */
class SegmentFilesCommandTest {

	private static final String COMMAND = "UNet3+ Segment Files";
	/** Header bytes a label file may change: datatype + bitpix, scl_slope + scl_inter, cal_max + cal_min. */
	private static final int[][] CHANGED = { { 70, 74 }, { 112, 120 }, { 124, 132 } };

	@TempDir
	static Path shared;
	static Path model;

	@TempDir
	Path tmp;

	@BeforeAll
	static void model() throws IOException {
		model = TinyBundles.write(shared.resolve("model"), 2, 32, 1);
	}

	/** A synthetic CT (48 × 48 × 5, 3 × 3 × 5 mm) written with a header that has a description. */
	private static Path ct(final Path file, final int index) {
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(3).setSeed(5).optSize(48).optSlices(5).optSpacing(3, 5).build();
		final Volume v = RandSyntheticCt.generate(s, index).ct();
		final NiftiHeader header = NiftiHeader.create(v.dimensions(), NiftiDatatype.forType(v.raw().getType()), v.geometry()).withDescription("test CT " + index);
		NiftiWriter.write(file, v, header);
		return file;
	}

	private static String options(final Path input, final Path output, final String more) {
		return "model='" + model + "',input='" + input + "',output='" + output + "'" + (more.isEmpty() ? "" : "," + more);
	}

	private static void assertSameGrid(final Path ct, final Path labels, final NiftiDatatype type) {
		final NiftiHeader in = NiftiReader.readHeader(ct), out = NiftiReader.readHeader(labels);
		assertArrayEquals(in.volumeDimensions(), out.volumeDimensions(), "dimensions");
		assertTrue(java.util.Arrays.deepEquals(in.affine(), out.affine()), "affine");
		assertEquals(type, out.datatype());
		final byte[] a = in.bytes(), b = out.bytes();
		for (int i = 0; i < a.length; i++) {
			final int at = i;
			if (Stream.of(CHANGED).noneMatch(r -> at >= r[0] && at < r[1])) assertEquals(a[i], b[i], "header byte " + i + " of " + labels.getFileName());
		}
	}

	private static List<String> names(final Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void oneFileGetsUint8LabelsInItsOwnGridAndHeader() throws IOException {
		final Path input = ct(tmp.resolve("ct.nii.gz"), 0);
		final Path out = tmp.resolve("out").resolve("liver.nii.gz");
		final Launch.Outcome r = Launch.run(COMMAND, options(input, out, "batch=2"));
		assertEquals(0, r.status(), r.text());
		assertSameGrid(input, out, NiftiDatatype.UINT8);
		final NiftiImage labels = NiftiReader.read(out);
		for (final RealType<?> v : Views.flatIterable(labels.volume().raw()))
			assertTrue(v.getRealDouble() == 0 || v.getRealDouble() == 1, "labels are 0/1");
		assertTrue(r.text().contains("ml foreground") && r.text().contains("slices/s"), r.text());
		assertEquals(List.of("liver.nii.gz"), names(out.getParent()), "nothing else, no temporary file");
	}

	@Test
	void anExistingOutputIsReplacedOnlyWithOverwrite() throws IOException {
		final Path input = ct(tmp.resolve("ct.nii.gz"), 0);
		final Path out = Files.createDirectories(tmp.resolve("out"));
		Files.writeString(out.resolve("ct-labels.nii.gz"), "keep me");
		final Launch.Outcome refused = Launch.run(COMMAND, options(input, out, ""));
		assertEquals(1, refused.status());
		assertTrue(refused.text().contains("ct-labels.nii.gz") && refused.text().contains("overwrite=true"), refused.text());
		assertEquals("keep me", Files.readString(out.resolve("ct-labels.nii.gz")));
		assertEquals(0, Launch.run(COMMAND, options(input, out, "overwrite=true")).status());
		assertSameGrid(input, out.resolve("ct-labels.nii.gz"), NiftiDatatype.UINT8);
	}

	@Test
	void aFolderIsSegmentedPastACorruptVolumeWhichIsNamed() throws IOException {
		final Path lits = Files.createDirectories(tmp.resolve("lits"));
		ct(lits.resolve("volume-0.nii.gz"), 0);
		ct(lits.resolve("volume-10.nii"), 2);
		Files.write(lits.resolve("volume-2.nii.gz"), new byte[] { 0x1f, (byte) 0x8b, 8, 0, 1, 2, 3 });
		ct(lits.resolve("segmentation-0.nii.gz"), 1); // truth beside the volumes: not an input
		final Path out = tmp.resolve("segs");
		final Launch.Outcome r = Launch.run(COMMAND, options(lits, out, ""));
		assertEquals(1, r.status(), r.text());
		assertTrue(r.text().contains("volume-2.nii.gz"), "the corrupt file is named:\n" + r.text());
		assertTrue(r.text().contains("1 of 3 volume(s)"), r.text());
		assertEquals(List.of("segmentation-0.nii.gz", "segmentation-10.nii.gz"), names(out), "the good volumes are written, nothing partial");
		assertSameGrid(lits.resolve("volume-0.nii.gz"), out.resolve("segmentation-0.nii.gz"), NiftiDatatype.UINT8);
		assertSameGrid(lits.resolve("volume-10.nii"), out.resolve("segmentation-10.nii.gz"), NiftiDatatype.UINT8);
	}

	@Test
	void probabilityMapsAreFloatInTheSameGridAndSumToOne() throws IOException {
		final Path input = ct(tmp.resolve("ct.nii"), 1);
		final Path out = tmp.resolve("out");
		final Launch.Outcome r = Launch.run(COMMAND, options(input, out, "probabilities=true,tta_flip=true,largest_component=true,fill_holes=true"));
		assertEquals(0, r.status(), r.text());
		assertEquals(List.of("ct-labels-prob-0.nii.gz", "ct-labels-prob-1.nii.gz", "ct-labels.nii.gz"), names(out));
		assertSameGrid(input, out.resolve("ct-labels-prob-0.nii.gz"), NiftiDatatype.FLOAT32);
		assertSameGrid(input, out.resolve("ct-labels-prob-1.nii.gz"), NiftiDatatype.FLOAT32);
		final var p0 = Views.flatIterable(NiftiReader.read(out.resolve("ct-labels-prob-0.nii.gz")).volume().raw()).cursor();
		final var p1 = Views.flatIterable(NiftiReader.read(out.resolve("ct-labels-prob-1.nii.gz")).volume().raw()).cursor();
		while (p0.hasNext())
			assertEquals(1.0, p0.next().getRealDouble() + p1.next().getRealDouble(), 1e-5);
	}

	@Test
	void aTiffStackGetsAFreshHeaderWithItsSpacingAndTheSameLabelsAsItsNifti() throws IOException {
		final Path nifti = ct(tmp.resolve("scan.nii.gz"), 2);
		final Volume v = NiftiReader.read(nifti).volume();
		final Path tiff = tmp.resolve("scan.tif");
		TiffCodec.writeVolume(tiff, v, TiffCodec.Compression.NONE);
		final Path out = tmp.resolve("tif"), ref = tmp.resolve("nii");
		assertEquals(0, Launch.run(COMMAND, options(tiff, out, "")).status());
		assertEquals(0, Launch.run(COMMAND, options(nifti, ref, "")).status());
		final NiftiHeader fromTiff = NiftiReader.readHeader(out.resolve("scan-labels.nii.gz"));
		assertArrayEquals(v.dimensions(), fromTiff.volumeDimensions());
		assertArrayEquals(new double[] { 3, 3, 5 }, fromTiff.spacing(), 1e-5, "TIFF stores the pixel size as a rational");
		final var a = Views.flatIterable(NiftiReader.read(out.resolve("scan-labels.nii.gz")).volume().raw()).cursor();
		final var b = Views.flatIterable(NiftiReader.read(ref.resolve("scan-labels.nii.gz")).volume().raw()).cursor();
		while (a.hasNext())
			assertEquals(a.next().getRealDouble(), b.next().getRealDouble());
	}

	@Test
	void userErrorsAreNamed() throws IOException {
		final Path input = ct(tmp.resolve("ct.nii.gz"), 0);
		final Launch.Outcome noModel = Launch.run(COMMAND, "model='" + tmp.resolve("nomodel") + "',input='" + input + "',output='" + tmp.resolve("o") + "'");
		assertEquals(1, noModel.status());
		assertTrue(noModel.text().contains("nomodel"), noModel.text());
		final Launch.Outcome folderToFile = Launch.run(COMMAND, options(tmp, tmp.resolve("x.nii.gz"), ""));
		assertEquals(1, folderToFile.status());
		assertTrue(folderToFile.text().contains("give an output folder"), folderToFile.text());
		final Launch.Outcome badBatch = Launch.run(COMMAND, options(input, tmp.resolve("o"), "batch=0"));
		assertEquals(1, badBatch.status());
		assertTrue(badBatch.text().contains("batch"), badBatch.text());
		assertFalse(Files.exists(tmp.resolve("o")), "nothing written after a refused run");
	}

	@Test
	void skipExistingKeepsFinishedVolumesAndRedoesWhatAKilledRunLeftHalfDone() throws IOException {
		final Path lits = Files.createDirectories(tmp.resolve("lits"));
		for (int i = 0; i < 3; i++)
			ct(lits.resolve("volume-" + i + ".nii.gz"), i);
		final Path ref = tmp.resolve("ref"), out = tmp.resolve("out");
		assertEquals(0, Launch.run(COMMAND, options(lits, ref, "probabilities=true")).status());
		assertEquals(0, Launch.run(COMMAND, options(lits, out, "probabilities=true")).status());
		// as a kill -9 leaves it: volume-1 has a stale probability map and a temporary file but no labels
		Files.delete(out.resolve("segmentation-1.nii.gz"));
		Files.writeString(out.resolve("segmentation-1-prob-0.nii.gz"), "left by a killed run");
		Files.writeString(out.resolve(".segmentation-1-prob-1.nii.gz.12345.part"), "half written");
		Files.writeString(out.resolve(FolderLock.FILE_NAME), "UNet3+ process 1, lock 1\n");
		Files.writeString(out.resolve("segmentation-2.nii.gz"), "finished earlier"); // a label file means done: kept as it is
		final Launch.Outcome r = Launch.run(COMMAND, options(lits, out, "probabilities=true,skip_existing=true"));
		assertEquals(0, r.status(), r.text());
		assertTrue(r.text().contains("Skipped volume-0.nii.gz") && r.text().contains("Skipped volume-2.nii.gz") && !r.text().contains("Skipped volume-1"), r.text());
		assertTrue(r.text().contains("2 of 3 volume(s) skipped"), r.text());
		assertEquals("finished earlier", Files.readString(out.resolve("segmentation-2.nii.gz")));
		for (final String name : List.of("segmentation-0.nii.gz", "segmentation-1.nii.gz", "segmentation-1-prob-0.nii.gz", "segmentation-1-prob-1.nii.gz"))
			assertArrayEquals(Files.readAllBytes(ref.resolve(name)), Files.readAllBytes(out.resolve(name)), name + " equals an uninterrupted run's");
		assertEquals(names(ref), names(out), "no temporary file and no lock file left");
	}

	@Test
	void overwriteAndSkipExistingTogetherAreRefused() throws IOException {
		final Path input = ct(tmp.resolve("ct.nii.gz"), 0);
		final Launch.Outcome r = Launch.run(COMMAND, options(input, tmp.resolve("out"), "overwrite=true,skip_existing=true"));
		assertEquals(1, r.status(), r.text());
		assertTrue(r.text().contains("overwrite=true") && r.text().contains("skip_existing=true"), r.text());
		assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
	}

	@Test
	void aSecondRunIntoALockedOutputFolderIsRefusedAndWritesNothing() throws IOException {
		final Path input = ct(tmp.resolve("ct.nii.gz"), 0);
		final Path out = tmp.resolve("out");
		try (FolderLock held = FolderLock.acquire(out)) {
			final Launch.Outcome folder = Launch.run(COMMAND, options(input, out, ""));
			assertEquals(1, folder.status(), folder.text());
			assertTrue(folder.text().contains("Another UNet3+ run is writing into " + out.toAbsolutePath()), folder.text());
			final Launch.Outcome file = Launch.run(COMMAND, options(input, out.resolve("liver.nii.gz"), ""));
			assertEquals(1, file.status(), file.text());
			assertTrue(file.text().contains("Another UNet3+ run is writing into " + out.toAbsolutePath()), "a label file's folder is locked:\n" + file.text());
			assertEquals(List.of(FolderLock.FILE_NAME), names(out));
		}
		assertEquals(0, Launch.run(COMMAND, options(input, out, "")).status());
		assertEquals(List.of("ct-labels.nii.gz"), names(out), "the lock file is gone after the run");
	}
}
