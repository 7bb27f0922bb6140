package io.github.unet3p.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlicePreparerTest {

	private static final PreprocessSettings SMALL = PreprocessSettings.builder().optSize(16).build();

	/** A volume (I, J, K) with value f(i, j, k) HU, stored as int16 with slope 2 and intercept −1000. */
	static Volume volume(final int sizeI, final int sizeJ, final int sizeK, final IntTriple f) {
		final short[] raw = new short[sizeI * sizeJ * sizeK];
		for (int k = 0; k < sizeK; k++)
			for (int j = 0; j < sizeJ; j++)
				for (int i = 0; i < sizeI; i++)
					raw[i + sizeI * (j + sizeJ * k)] = (short) ((f.at(i, j, k) + 1000) / 2);
		return new Volume(ArrayImgs.shorts(raw, sizeI, sizeJ, sizeK), 2, -1000, VolumeGeometry.ofSpacing(0.8, 0.8, 2.5));
	}

	/** f(i, j, k). */
	@FunctionalInterface
	interface IntTriple {

		int at(int i, int j, int k);
	}

	@Test
	void orientationFollowsRot90() {
		// HU grows with i: after rot90 i runs along the columns, so every row increases left to right
		final Volume alongI = volume(8, 6, 1, (i, j, k) -> -200 + 60 * i);
		final SlicePreparer p = SlicePreparer.of(SMALL, alongI);
		final byte[] plane = p.imagePlane(alongI, 0, p.newWorkspace());
		for (int r = 0; r < 16; r++) {
			assertEquals(0, plane[r * 16] & 0xff, "row " + r + " starts dark");
			assertEquals(255, plane[r * 16 + 15] & 0xff, "row " + r + " ends bright");
			assertEquals(plane[5], plane[r * 16 + 5], "rows are equal");
		}
		// HU grows with j: rot90 puts j = J−1 in row 0, so the top row is the brightest
		final Volume alongJ = volume(8, 6, 1, (i, j, k) -> -200 + 80 * j);
		final byte[] planeJ = SlicePreparer.of(SMALL, alongJ).imagePlane(alongJ, 0, p.newWorkspace());
		assertEquals(255, planeJ[0] & 0xff);
		assertEquals(0, planeJ[15 * 16] & 0xff);
	}

	@Test
	void windowIsAppliedBeforeScaling() {
		// −1000…1000 HU: clipped to [−200, 250] first, so −200 maps to 0 and everything ≥ 250 to 255
		final Volume v = volume(16, 16, 1, (i, j, k) -> i < 8 ? -1000 : 1000);
		final byte[] plane = SlicePreparer.of(SMALL, v).imagePlane(v, 0, SlicePreparer.of(SMALL, v).newWorkspace());
		assertEquals(0, plane[0]);
		assertEquals(255, plane[15] & 0xff);
	}

	@Test
	void stacksNeighboursAndMasksEverySlice() {
		final Random rnd = new Random(3);
		final Volume ct = volume(12, 10, 5, (i, j, k) -> rnd.nextInt(600) - 300);
		final Volume labels = labels(12, 10, 5, 4, 7, 2, 2);
		final SlicePreparer p = SlicePreparer.of(SMALL, ct);
		final Map<Integer, SliceImage[]> out = new ConcurrentHashMap<>();
		p.prepare(ct, labels, (k, img, mask) -> out.put(k, new SliceImage[] { img, mask }), null, 1, "t", ProgressListener.NONE, Cancellation.none());
		assertEquals(5, out.size());
		final SlicePreparer.Workspace ws = p.newWorkspace();
		for (int k = 0; k < 5; k++) {
			final SliceImage img = out.get(k)[0];
			assertEquals(3, img.channels());
			assertArrayEquals(p.imagePlane(ct, Math.max(k - 1, 0), ws), img.channel(0), "R = k−1");
			assertArrayEquals(p.imagePlane(ct, k, ws), img.channel(1), "G = k");
			assertArrayEquals(p.imagePlane(ct, Math.min(k + 1, 4), ws), img.channel(2), "B = k+1");
			final SliceImage mask = out.get(k)[1];
			assertEquals(1, mask.channels());
			// label 2 at voxel (i=4, j=7, k=2) → rot90 (row J−1−j = 2, column i = 4) → merged to 1 where
			// the nearest tables read row 2 and column 4: only output row 4 (floor(4·0.625) = 2) and
			// column 6 (floor(6·0.75) = 4) of 10×12 → 16×16
			for (int y = 0; y < 16; y++)
				for (int x = 0; x < 16; x++) {
					final boolean inside = k == 2 && y == 4 && x == 6;
					assertEquals(inside ? 1 : 0, mask.get(x, y, 0), "slice " + k + " (" + x + ", " + y + ")");
				}
		}
	}

	/** Labels all 0 except {@code value} at voxel (i, j, k). */
	static Volume labels(final int sizeI, final int sizeJ, final int sizeK, final int i, final int j, final int k, final int value) {
		final byte[] raw = new byte[sizeI * sizeJ * sizeK];
		raw[i + sizeI * (j + sizeJ * k)] = (byte) value;
		return Volume.of(ArrayImgs.unsignedBytes(raw, sizeI, sizeJ, sizeK), VolumeGeometry.ofSpacing(1, 1, 1));
	}

	/** 70 slices: several blocks of slices both ways (16 per block on one thread, 48 on three). */
	@Test
	void parallelGivesTheSameAsSequential() {
		final Random rnd = new Random(11);
		final int count = 70;
		final Volume ct = volume(9, 7, count, (i, j, k) -> rnd.nextInt(800) - 400);
		final SlicePreparer p = SlicePreparer.of(SMALL, ct);
		final Map<Integer, SliceImage> seq = new ConcurrentHashMap<>(), par = new ConcurrentHashMap<>();
		p.prepare(ct, null, (k, img, mask) -> {
			assertNull(mask);
			seq.put(k, img);
		}, null, 1, "t", ProgressListener.NONE, Cancellation.none());
		final ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			p.prepare(ct, null, (k, img, mask) -> par.put(k, img), pool, 3, "t", ProgressListener.NONE, Cancellation.none());
		}
		finally {
			pool.shutdownNow();
		}
		assertEquals(seq, par);
		assertEquals(count, seq.size());
		final SlicePreparer.Workspace ws = p.newWorkspace();
		for (int k = 0; k < count; k++) {
			final SliceImage img = seq.get(k);
			assertArrayEquals(p.imagePlane(ct, Math.max(k - 1, 0), ws), img.channel(0), "R of slice " + k);
			assertArrayEquals(p.imagePlane(ct, k, ws), img.channel(1), "G of slice " + k);
			assertArrayEquals(p.imagePlane(ct, Math.min(k + 1, count - 1), ws), img.channel(2), "B of slice " + k);
		}
	}

	/** The fused mask gather against the three steps it replaces, on random labels 0…3, up and down. */
	@ParameterizedTest(name = "{0}×{1} → {2}")
	@CsvSource({ "12, 10, 16", "40, 24, 16", "33, 17, 20", "17, 17, 17", "1, 3, 16" })
	void maskPlaneIsRot90ThenNearestThenLabelMerge(final int sizeI, final int sizeJ, final int size) {
		final Random rnd = new Random(sizeI * 100 + sizeJ * 10 + size);
		final byte[] raw = new byte[sizeI * sizeJ * 2];
		for (int p = 0; p < raw.length; p++)
			raw[p] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 0);
		final Volume labels = Volume.of(ArrayImgs.unsignedBytes(raw, sizeI, sizeJ, 2), VolumeGeometry.ofSpacing(1, 1, 1));
		final SlicePreparer p = new SlicePreparer(PreprocessSettings.builder().optSize(size).build(), sizeI, sizeJ);
		final double[] stored = new double[sizeI * sizeJ], rotated = new double[sizeI * sizeJ], resized = new double[size * size];
		for (int k = 0; k < 2; k++) {
			labels.axialSlice(k, stored);
			Rot90.storedSlice(stored, sizeI, sizeJ, rotated);
			NearestResize.of(sizeI, sizeJ, size, size).apply(rotated, resized);
			final byte[] expected = new byte[size * size];
			LabelMerge.toBinary(resized, expected.length, expected);
			assertArrayEquals(expected, p.maskPlane(labels, k, p.newWorkspace()), "slice " + k);
		}
	}

	@Test
	void stopsWhenCancelled() {
		final Volume ct = volume(9, 7, 30, (i, j, k) -> i * j * k);
		final SlicePreparer p = SlicePreparer.of(SMALL, ct);
		final Cancellation cancel = new Cancellation();
		final int[] seen = new int[1];
		assertThrows(CancelledException.class, () -> p.prepare(ct, null, (k, img, mask) -> {
			if (++seen[0] == 3) cancel.cancel();
		}, null, 1, "t", ProgressListener.NONE, cancel));
		assertEquals(3, seen[0], "no slice after the cancel");
	}
}
