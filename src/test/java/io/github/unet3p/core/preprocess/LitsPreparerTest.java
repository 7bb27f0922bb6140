package io.github.unet3p.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LitsPreparerTest {

	@TempDir
	Path dir;

	private static final PreprocessSettings SMALL = PreprocessSettings.builder().optSize(16).build();

	private static Volume ct(final int k, final long seed) {
		final Random rnd = new Random(seed);
		return SlicePreparerTest.volume(12, 10, k, (i, j, kk) -> rnd.nextInt(900) - 450);
	}

	@Test
	void writesTheSeedsLayoutForAFolder() throws IOException {
		final Path in = Files.createDirectories(dir.resolve("lits"));
		NiftiWriter.write(in.resolve("volume-0.nii"), ct(3, 1));
		NiftiWriter.write(in.resolve("segmentation-0.nii"), SlicePreparerTest.labels(12, 10, 3, 4, 7, 1, 2));
		NiftiWriter.write(in.resolve("volume-10.nii.gz"), ct(2, 2));
		NiftiWriter.write(in.resolve("segmentation-7.nii"), SlicePreparerTest.labels(12, 10, 2, 0, 0, 0, 1));
		final List<String> messages = new CopyOnWriteArrayList<>();
		final ProgressListener listener = new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {}

			@Override
			public void message(final String text) {
				messages.add(text);
			}
		};
		final Path out = dir.resolve("out");
		final LitsPreparer.Summary summary = new LitsPreparer(SMALL, f -> io.github.unet3p.core.volume.nifti.NiftiReader.read(f).volume(), 2)
				.prepare(in, out, listener, Cancellation.none());
		assertEquals(new LitsPreparer.Summary(2, 5, 3), summary);
		assertEquals(Set.of("image_0_0.png", "image_0_1.png", "image_0_2.png", "image_10_0.png", "image_10_1.png"), names(out.resolve("images")));
		assertEquals(Set.of("mask_0_0.png", "mask_0_1.png", "mask_0_2.png"), names(out.resolve("mask")));
		assertTrue(messages.stream().anyMatch(m -> m.contains("segmentation-7.nii") && m.contains("no volume-7")), messages.toString());
		final SliceImage mask = PngCodec.read(out.resolve("mask/mask_0_1.png"));
		assertEquals(1, mask.channels());
		assertEquals(1, mask.get(6, 4, 0), "label 2 merged to 1");
		assertEquals(3, PngCodec.read(out.resolve("images/image_10_1.png")).channels());
	}

	@Test
	void acceptsOneVolumeFileWithItsSegmentationBeside() throws IOException {
		NiftiWriter.write(dir.resolve("volume-3.nii.gz"), ct(2, 3));
		NiftiWriter.write(dir.resolve("segmentation-3.nii.gz"), SlicePreparerTest.labels(12, 10, 2, 1, 1, 1, 1));
		final List<LitsPreparer.LitsCase> cases = LitsPreparer.findCases(dir.resolve("volume-3.nii.gz"), ProgressListener.NONE);
		assertEquals(List.of(new LitsPreparer.LitsCase("3", dir.resolve("volume-3.nii.gz"), dir.resolve("segmentation-3.nii.gz").toAbsolutePath())),
				cases);
		final LitsPreparer.Summary s = new LitsPreparer(SMALL).prepare(dir.resolve("volume-3.nii.gz"), dir.resolve("o"), ProgressListener.NONE,
				Cancellation.none());
		assertEquals(new LitsPreparer.Summary(1, 2, 2), s);
	}

	@Test
	void refusesMismatchedShapesNamingBothFiles() {
		final Path in = dir.resolve("in");
		NiftiWriter.write(in.resolve("volume-1.nii"), ct(3, 4));
		NiftiWriter.write(in.resolve("segmentation-1.nii"), SlicePreparerTest.labels(12, 10, 4, 0, 0, 0, 1));
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> new LitsPreparer(SMALL).prepare(in, dir.resolve("o"), ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().contains("volume-1.nii") && e.getMessage().contains("segmentation-1.nii") && e.getMessage().contains("12×10×3")
				&& e.getMessage().contains("12×10×4"), e.getMessage());
	}

	@Test
	void refusesFoldersWithoutVolumesAndMissingInput() throws IOException {
		Files.createDirectories(dir.resolve("empty"));
		Files.writeString(dir.resolve("empty/segmentation-2.nii"), "x");
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> LitsPreparer.findCases(dir.resolve("empty"), ProgressListener.NONE));
		assertTrue(e.getMessage().contains("volume-N.nii"), e.getMessage());
		final InvalidInputException missing = assertThrows(InvalidInputException.class,
				() -> LitsPreparer.findCases(dir.resolve("nowhere"), ProgressListener.NONE));
		assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
		Files.writeString(dir.resolve("empty/volume-2.nii"), "x");
		Files.writeString(dir.resolve("empty/volume-2.nii.gz"), "x");
		assertThrows(InvalidInputException.class, () -> LitsPreparer.findCases(dir.resolve("empty"), ProgressListener.NONE));
	}

	@Test
	void casesAreOrderedByNumber() throws IOException {
		for (final String n : new String[] { "10", "2", "1" })
			Files.writeString(dir.resolve("volume-" + n + ".nii"), "x");
		assertEquals(List.of("1", "2", "10"),
				LitsPreparer.findCases(dir, ProgressListener.NONE).stream().map(LitsPreparer.LitsCase::id).collect(Collectors.toList()));
	}

	@Test
	void cancellingKeepsOnlyCompleteFiles() throws IOException {
		final Path in = dir.resolve("in");
		NiftiWriter.write(in.resolve("volume-0.nii"), ct(40, 5));
		final Cancellation cancel = new Cancellation();
		final ProgressListener stopAfterFirstBlock = new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {
				if (done > 0 && done < total) cancel.cancel();
			}

			@Override
			public void message(final String text) {}
		};
		final Path out = dir.resolve("o");
		assertThrows(CancelledException.class, () -> new LitsPreparer(SMALL).prepare(in, out, stopAfterFirstBlock, cancel));
		final Set<String> written = names(out.resolve("images"));
		assertFalse(written.isEmpty());
		assertTrue(written.size() < 40, written.size() + " images");
		for (final String f : written) {
			assertTrue(f.matches("image_0_\\d+\\.png"), "only finished PNGs, no temporary files: " + f);
			assertEquals(16, PngCodec.read(out.resolve("images").resolve(f)).width());
		}
	}

	private static Set<String> names(final Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
		}
	}
}
