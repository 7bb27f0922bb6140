package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.io.VolumeReader;

/** Batch segmentation in the core, with a plain-Java model: failures, existing outputs, resuming. */
class FolderSegmentationTest {

	@TempDir
	Path tmp;

	private final List<String> messages = new ArrayList<>();
	private final ProgressListener progress = new ProgressListener() {
		@Override
		public void progress(final String task, final long done, final long total) {}

		@Override
		public void message(final String text) {
			messages.add(text);
		}
	};

	private Path input() throws IOException {
		final Path in = tmp.resolve("in");
		Files.createDirectories(in);
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(2).setSeed(5).optSize(40).optSlices(4).build();
		for (int i = 0; i < 2; i++)
			NiftiWriter.write(in.resolve("volume-" + i + ".nii.gz"), RandSyntheticCt.generate(s, i).ct());
		final byte[] good = Files.readAllBytes(in.resolve("volume-0.nii.gz"));
		Files.write(in.resolve("volume-2.nii.gz"), java.util.Arrays.copyOf(good, 100));
		return in;
	}

	private static FolderSegmentation segmentation() {
		return new FolderSegmentation(FakeModels.square(32, 8, 8), PreprocessSettings.builder().optSize(32).build(),
				InferenceSettings.builder().optProbabilities(true).build(), VolumeReader.coreFormats());
	}

	@Test
	void aCorruptVolumeIsNamedAndTheOthersAreWritten() throws IOException {
		final Path out = tmp.resolve("out");
		final List<SegmentTargets.Job> jobs = SegmentTargets.plan(input(), out, 2, true, VolumeReader.coreFormats());
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> segmentation().run(jobs, FolderSegmentation.Existing.REFUSE, out, "fake", progress, Cancellation.none()));
		assertTrue(e.getMessage().startsWith("1 of 3 volume(s) could not be segmented: ") && e.getMessage().contains("volume-2.nii.gz"), e.getMessage());
		for (final int i : new int[] { 0, 1 }) {
			final Path labels = out.resolve("segmentation-" + i + ".nii.gz");
			assertArrayEquals(new long[] { 40, 40, 4 }, NiftiReader.read(labels).volume().dimensions(), "labels in the input's grid");
			assertTrue(Files.exists(labels) && Files.exists(out.resolve("segmentation-" + i + "-prob-1.nii.gz")), labels.toString());
		}
		assertTrue(messages.stream().anyMatch(m -> m.startsWith("FAILED ") && m.contains("volume-2.nii.gz")), messages.toString());
		final InvalidInputException again = assertThrows(InvalidInputException.class,
				() -> segmentation().run(jobs, FolderSegmentation.Existing.REFUSE, out, "fake", progress, Cancellation.none()));
		assertTrue(again.getMessage().contains("already exist"), again.getMessage());
	}

	@Test
	void skipExistingSegmentsOnlyTheMissingVolumesAndClearsLeftovers() throws IOException {
		final Path in = input();
		Files.delete(in.resolve("volume-2.nii.gz"));
		final Path out = tmp.resolve("out");
		final List<SegmentTargets.Job> jobs = SegmentTargets.plan(in, out, 2, true, VolumeReader.coreFormats());
		segmentation().run(jobs, FolderSegmentation.Existing.REFUSE, out, "fake", progress, Cancellation.none());
		final byte[] first = Files.readAllBytes(out.resolve("segmentation-1.nii.gz"));
		Files.delete(out.resolve("segmentation-1.nii.gz"));
		Files.writeString(out.resolve(".segmentation-1.nii.gz.123.part"), "half");
		messages.clear();
		segmentation().run(jobs, FolderSegmentation.Existing.SKIP, out, "fake", progress, Cancellation.none());
		assertArrayEquals(first, Files.readAllBytes(out.resolve("segmentation-1.nii.gz")));
		assertFalse(Files.exists(out.resolve(".segmentation-1.nii.gz.123.part")));
		assertTrue(messages.contains("Deleted 1 temporary file(s) left in " + out + " by an interrupted run"), messages.toString());
		assertTrue(messages.stream().anyMatch(m -> m.startsWith("Skipped volume-0.nii.gz")), messages.toString());
		assertTrue(messages.stream().anyMatch(m -> m.startsWith("volume-1.nii.gz -> ")), messages.toString());
	}

	@Test
	void overwriteAndSkipExistingExcludeEachOther() {
		assertThrows(InvalidInputException.class, () -> FolderSegmentation.Existing.of(true, true));
		assertEquals(FolderSegmentation.Existing.SKIP, FolderSegmentation.Existing.of(false, true));
		assertEquals(FolderSegmentation.Existing.OVERWRITE, FolderSegmentation.Existing.of(true, false));
		assertEquals(FolderSegmentation.Existing.REFUSE, FolderSegmentation.Existing.of(false, false));
	}
}
