package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.io.VolumeReader;

/** The naming rules of {@code UNet3+ Segment Files}: which inputs a folder yields and what each becomes. */
class SegmentTargetsTest {

	@TempDir
	Path tmp;

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({
		"volume-0.nii, segmentation-0.nii.gz",
		"volume-130.nii.gz, segmentation-130.nii.gz",
		"Volume-7.NII.GZ, segmentation-7.nii.gz",
		"patient 3.nii.gz, patient 3-labels.nii.gz",
		"ct.tif, ct-labels.nii.gz",
		"slice001.dcm, slice001-labels.nii.gz",
		"series_2, series_2-labels.nii.gz",
		"volume-1b.nii, volume-1b-labels.nii.gz" })
	void labelNames(final String input, final String labels) {
		assertEquals(labels, SegmentTargets.labelName(Path.of(input)));
	}

	private Path touch(final Path dir, final String name) throws IOException {
		Files.createDirectories(dir);
		return Files.writeString(dir.resolve(name), "x");
	}

	private static List<String> inputs(final List<SegmentTargets.Job> jobs) {
		return jobs.stream().map(SegmentTargets.Job::name).toList();
	}

	@Test
	void aLitsFolderYieldsItsVolumesInNumberOrderAndNothingElse() throws IOException {
		final Path in = tmp.resolve("in");
		for (final String n : new String[] { "volume-10.nii", "volume-2.nii.gz", "segmentation-2.nii.gz", "notes.txt", "other.nii.gz" })
			touch(in, n);
		final List<SegmentTargets.Job> jobs = SegmentTargets.plan(in, tmp.resolve("out"), 2, true, VolumeReader.coreFormats());
		assertEquals(List.of("volume-2.nii.gz", "volume-10.nii"), inputs(jobs));
		assertEquals(tmp.resolve("out").resolve("segmentation-2.nii.gz"), jobs.get(0).labels());
		assertEquals(List.of(tmp.resolve("out").resolve("segmentation-2-prob-0.nii.gz").toAbsolutePath(),
				tmp.resolve("out").resolve("segmentation-2-prob-1.nii.gz").toAbsolutePath()), jobs.get(0).probabilities());
	}

	@Test
	void anyOtherFolderYieldsItsNiftiFilesButNotThisCommandsOutputs() throws IOException {
		final Path in = tmp.resolve("in");
		for (final String n : new String[] { "b.nii.gz", "a.nii", "a-labels.nii.gz", "a-labels-prob-1.nii.gz", "segmentation-3.nii" })
			touch(in, n);
		final List<SegmentTargets.Job> jobs = SegmentTargets.plan(in, in, 1, true, VolumeReader.coreFormats());
		assertEquals(List.of("a.nii", "b.nii.gz"), inputs(jobs), "outputs written into the input folder are not inputs next time");
		assertEquals(List.of(in.resolve("a-labels-prob-1.nii.gz").toAbsolutePath()), jobs.get(0).probabilities(), "a sigmoid model writes -prob-1 only");
	}

	@Test
	void oneFileWritesTheGivenNiftiName() throws IOException {
		final Path ct = touch(tmp, "ct.nii.gz");
		final List<SegmentTargets.Job> jobs = SegmentTargets.plan(ct, tmp.resolve("liver.nii"), 2, false, VolumeReader.coreFormats());
		assertEquals(tmp.resolve("liver.nii"), jobs.get(0).labels());
		assertTrue(jobs.get(0).probabilities().isEmpty());
	}

	@Test
	void clashesAndMisfitOutputsAreRefused() throws IOException {
		final Path in = tmp.resolve("in");
		touch(in, "a.nii");
		touch(in, "a.nii.gz");
		assertTrue(assertThrows(InvalidInputException.class, () -> SegmentTargets.plan(in, tmp.resolve("o"), 2, false, VolumeReader.coreFormats())).getMessage()
				.contains("would both be written to"));
		final Path ct = touch(tmp, "ct.nii.gz");
		assertTrue(assertThrows(InvalidInputException.class, () -> SegmentTargets.plan(ct, ct, 2, false, VolumeReader.coreFormats())).getMessage().contains("is the input volume itself"));
		final Path text = touch(tmp, "notes.txt");
		assertTrue(assertThrows(InvalidInputException.class, () -> SegmentTargets.plan(ct, text, 2, false, VolumeReader.coreFormats())).getMessage().contains("not NIfTI"));
		final Path empty = Files.createDirectories(tmp.resolve("empty"));
		assertTrue(assertThrows(InvalidInputException.class, () -> SegmentTargets.plan(empty, tmp.resolve("o"), 2, false, VolumeReader.coreFormats())).getMessage()
				.contains("no DICOM series"));
	}

	@Test
	void existingOutputsAreListedBeforeAnyWorkUnlessOverwrite() throws IOException {
		final Path ct = touch(tmp, "ct.nii.gz");
		final List<SegmentTargets.Job> jobs = SegmentTargets.plan(ct, tmp.resolve("out"), 2, true, VolumeReader.coreFormats());
		touch(tmp.resolve("out"), "ct-labels-prob-1.nii.gz");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> SegmentTargets.checkExisting(jobs, false, "overwrite"));
		assertTrue(e.getMessage().contains("ct-labels-prob-1.nii.gz") && e.getMessage().contains("overwrite=true"), e.getMessage());
		SegmentTargets.checkExisting(jobs, true, "overwrite");
	}

	@Test
	void theLockedFolderIsTheOutputFolderOrTheLabelFilesFolder() {
		assertEquals(tmp.resolve("out"), SegmentTargets.folder(tmp.resolve("out")));
		assertEquals(tmp.resolve("out"), SegmentTargets.folder(tmp.resolve("out/liver.nii.gz")));
		assertEquals(tmp.resolve("out"), SegmentTargets.folder(tmp.resolve("out/x/../liver.nii")));
		assertEquals(Path.of("").toAbsolutePath(), SegmentTargets.folder(Path.of("liver.nii.gz")), "a bare file name: the working folder");
	}

	@Test
	void unfinishedJobsAreThoseWithoutTheirLabelFile() throws IOException {
		final Path lits = tmp.resolve("lits");
		for (int i = 0; i < 3; i++)
			touch(lits, "volume-" + i + ".nii.gz");
		final List<SegmentTargets.Job> jobs = SegmentTargets.plan(lits, tmp.resolve("out"), 2, true, VolumeReader.coreFormats());
		touch(tmp.resolve("out"), "segmentation-1.nii.gz");
		touch(tmp.resolve("out"), "segmentation-2-prob-0.nii.gz"); // maps without labels: not finished
		assertEquals(List.of(jobs.get(0), jobs.get(2)), SegmentTargets.unfinished(jobs));
	}

	@Test
	void theNameRulesAgreeWithTheFolderRules() {
		assertEquals(List.of("volume-2.nii.gz", "volume-10.nii"),
				SegmentTargets.volumeNames(List.of("volume-10.nii", "notes.txt", "volume-2.nii.gz", "segmentation-2.nii.gz", "other.nii.gz")));
		assertEquals(List.of("a.nii", "b.nii.gz"), SegmentTargets.volumeNames(List.of("b.nii.gz", "a-labels.nii.gz", "a.nii", "a-labels-prob-1.nii.gz")));
		assertEquals(List.of("segmentation-3-prob-0.nii.gz", "segmentation-3-prob-1.nii.gz", "segmentation-3-prob-2.nii.gz"),
				SegmentTargets.probabilityNames("segmentation-3.nii.gz", 3));
		assertEquals(List.of("ct-labels-prob-1.nii.gz"), SegmentTargets.probabilityNames("ct-labels.nii.gz", 1));
	}
}
