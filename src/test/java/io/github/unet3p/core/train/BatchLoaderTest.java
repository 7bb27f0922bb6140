package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.testsupport.TinySlices;

/** Batches: content independent of threads, NCHW one-hot layout, the partial last batch, seeded augmentation. */
class BatchLoaderTest {

	@TempDir
	static Path tmp;

	private static SliceDataset disks;

	@BeforeAll
	static void writeData() throws IOException {
		disks = SliceDataset.open(TinySlices.write(tmp.resolve("disks"), 7, 32, 3), 2, false);
	}

	private static List<TrainingBatch> epoch(final SliceDataset data, final int[] order, final int batch, final int classes, final Augmentation a,
			final long seed, final int epoch, final int workers, final int prefetch) throws InterruptedException {
		final List<TrainingBatch> out = new ArrayList<>();
		try (BatchLoader loader = new BatchLoader(data, order, batch, classes, a, seed, epoch, workers, prefetch)) {
			while (loader.hasNext())
				out.add(loader.next());
		}
		return out;
	}

	private static int[] identity(final int n) {
		final int[] o = new int[n];
		for (int i = 0; i < n; i++)
			o[i] = i;
		return o;
	}

	@Test
	void contentDoesNotDependOnWorkersOrPrefetch() throws InterruptedException {
		final int[] order = Trainer.shuffle(disks.size(), 5, 2);
		final List<TrainingBatch> one = epoch(disks, order, 3, 2, Augmentation.FULL, 5, 2, 1, 1);
		final List<TrainingBatch> many = epoch(disks, order, 3, 2, Augmentation.FULL, 5, 2, 4, 5);
		assertEquals(one.size(), many.size());
		for (int b = 0; b < one.size(); b++) {
			assertArrayEquals(one.get(b).images(), many.get(b).images());
			assertArrayEquals(one.get(b).targets(), many.get(b).targets());
		}
	}

	@Test
	void aSliceIsAugmentedTheSameWhateverBatchItLandsIn() throws InterruptedException {
		final int plane = 32 * 32;
		final List<TrainingBatch> byOne = epoch(disks, new int[] { 4 }, 1, 2, Augmentation.LIGHT, 5, 0, 1, 1);
		final List<TrainingBatch> inBatch = epoch(disks, new int[] { 0, 4 }, 2, 2, Augmentation.LIGHT, 5, 0, 2, 2);
		assertArrayEquals(byOne.get(0).images(), Arrays.copyOfRange(inBatch.get(0).images(), 3 * plane, 6 * plane));
	}

	@Test
	void partialLastBatch() throws InterruptedException {
		final List<TrainingBatch> batches = epoch(disks, identity(7), 3, 2, Augmentation.NONE, 5, 0, 2, 2);
		assertEquals(List.of(3, 3, 1), batches.stream().map(TrainingBatch::size).toList());
		final TrainingBatch last = batches.get(2);
		assertEquals(3 * 32 * 32, last.images().length);
		assertEquals(2 * 32 * 32, last.targets().length);
		assertEquals(1, last.foreground().length);
	}

	@Test
	void imagesArePlanarScaledAndTargetsOneHot(@TempDir final Path dir) throws IOException, InterruptedException {
		// 2×1 pixels: pixel 0 = (10, 20, 30) label 0, pixel 1 = (255, 0, 128) label 1
		TinySlices.writePair(dir, "0_0", SliceImage.rgb(2, 1, new byte[] { 10, 20, 30, (byte) 255, 0, (byte) 128 }), SliceImage.gray(2, 1, new byte[] { 0, 1 }));
		TinySlices.writePair(dir, "0_1", SliceImage.rgb(2, 1, new byte[6]), SliceImage.gray(2, 1, new byte[] { 0, 0 }));
		final SliceDataset d = SliceDataset.open(dir, 2, false);
		final TrainingBatch b = epoch(d, new int[] { 0, 1 }, 2, 2, Augmentation.NONE, 1, 0, 1, 1).get(0);
		assertEquals(2, b.classes());
		assertArrayEquals(new float[] { 10 / 255f, 1, 20 / 255f, 0, 30 / 255f, 128 / 255f, 0, 0, 0, 0, 0, 0 }, b.images(), 1e-7f);
		// sample 0: channel 0 (background) = [1, 0], channel 1 (liver) = [0, 1]; sample 1 all background
		assertArrayEquals(new float[] { 1, 0, 0, 1, 1, 1, 0, 0 }, b.targets());
		assertArrayEquals(new float[] { 1, 0 }, b.foreground());
		final TrainingBatch sigmoid = epoch(SliceDataset.open(dir, 1, false), new int[] { 0 }, 1, 1, Augmentation.NONE, 1, 0, 1, 1).get(0);
		assertArrayEquals(new float[] { 0, 1 }, sigmoid.targets(), "one class: a single 0/1 channel");
	}

	@Test
	void augmentationIsSeededByEpochAndKeepsImageAndLabelsAligned() throws InterruptedException {
		final int plane = 32 * 32;
		final int[] order = identity(7);
		final List<TrainingBatch> plain = epoch(disks, order, 7, 2, Augmentation.NONE, 5, 0, 1, 1);
		final List<TrainingBatch> again = epoch(disks, order, 7, 2, Augmentation.FULL, 5, 0, 2, 3);
		final List<TrainingBatch> same = epoch(disks, order, 7, 2, Augmentation.FULL, 5, 0, 1, 1);
		final List<TrainingBatch> next = epoch(disks, order, 7, 2, Augmentation.FULL, 5, 1, 1, 1);
		assertArrayEquals(again.get(0).images(), same.get(0).images(), "same seed and epoch: same augmentation");
		assertFalse(Arrays.equals(again.get(0).images(), next.get(0).images()), "another epoch: another augmentation");
		assertFalse(Arrays.equals(plain.get(0).targets(), again.get(0).targets()), "the masks move with the images");
		// The disks are bright (≥ 150/255) on a dark background (< 100/255): after warping, labels and
		// intensities must still agree except along the disk's edge.
		final TrainingBatch b = again.get(0);
		int disagree = 0, liver = 0;
		for (int s = 0; s < b.size(); s++)
			for (int p = 0; p < plane; p++) {
				final boolean labelled = b.targets()[(s * 2 + 1) * plane + p] == 1;
				final boolean bright = b.images()[(s * 3 + 1) * plane + p] > 0.49f;
				if (labelled) liver++;
				if (labelled != bright) disagree++;
			}
		assertTrue(liver > 0.05 * 7 * plane, "disks survive augmentation: " + liver);
		assertTrue(disagree < 0.02 * 7 * plane, disagree + " of " + 7 * plane + " pixels disagree");
	}

	@Test
	void aBadSliceFailsTheBatchWithItsMessage(@TempDir final Path dir) throws IOException {
		TinySlices.writePair(dir, "0_0", SliceImage.rgb(2, 1, new byte[6]), SliceImage.gray(2, 1, new byte[2]));
		TinySlices.writePair(dir, "0_1", SliceImage.rgb(2, 1, new byte[6]), SliceImage.gray(2, 1, new byte[] { 0, 7 }));
		final SliceDataset d = SliceDataset.open(dir, 2, false);
		final RuntimeException e = assertThrows(RuntimeException.class, () -> epoch(d, new int[] { 0, 1 }, 1, 2, Augmentation.NONE, 1, 0, 2, 2));
		assertTrue(e.getMessage().contains("mask_0_1.png") && e.getMessage().contains("label 7"), e.getMessage());
	}
}
