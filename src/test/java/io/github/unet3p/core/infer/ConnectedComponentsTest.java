package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.view.Views;

class ConnectedComponentsTest {

	static void set(final RandomAccessibleInterval<? extends IntegerType<?>> img, final int v, final int i, final int j, final int k) {
		final RandomAccess<? extends IntegerType<?>> ra = img.randomAccess();
		ra.setPosition(new int[] { i, j, k });
		ra.get().setInteger(v);
	}

	static int get(final RandomAccessibleInterval<? extends IntegerType<?>> img, final int i, final int j, final int k) {
		final RandomAccess<? extends IntegerType<?>> ra = img.randomAccess();
		ra.setPosition(new int[] { i, j, k });
		return ra.get().getInteger();
	}

	static void box(final RandomAccessibleInterval<? extends IntegerType<?>> img, final int v, final int i0, final int j0, final int k0, final int i1,
			final int j1, final int k1) {
		for (int k = k0; k <= k1; k++)
			for (int j = j0; j <= j1; j++)
				for (int i = i0; i <= i1; i++)
					set(img, v, i, j, k);
	}

	@ParameterizedTest(name = "{0}: corner neighbours")
	@CsvSource({ "SIX, 2", "TWENTY_SIX, 1" })
	void cornerContactConnectsOnlyWith26(final Connectivity c, final int expected) {
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(4, 4, 4);
		set(m, 1, 1, 1, 1);
		set(m, 1, 2, 2, 2);
		assertEquals(expected, ConnectedComponents.label(m, c).count());
	}

	@ParameterizedTest(name = "{0}: edge neighbours")
	@CsvSource({ "SIX, 2", "TWENTY_SIX, 1" })
	void edgeContactConnectsOnlyWith26(final Connectivity c, final int expected) {
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(4, 4, 4);
		set(m, 1, 1, 1, 1);
		set(m, 1, 2, 1, 2);
		assertEquals(expected, ConnectedComponents.label(m, c).count());
	}

	@Test
	void mergesArmsThatMeetLater() {
		// a U in every slice of 2..3 whose arms first meet at j = 4, and a tower that joins two
		// slabs only through slice k = 3: each must be one component
		final PlanarImg<UnsignedByteType, ByteArray> m = PlanarImgs.unsignedBytes(8, 6, 6);
		box(m, 1, 1, 0, 0, 1, 4, 0);
		box(m, 1, 5, 0, 0, 5, 4, 0);
		box(m, 1, 1, 4, 0, 5, 4, 0);
		box(m, 1, 0, 0, 2, 2, 2, 2);
		box(m, 1, 5, 0, 2, 7, 2, 2);
		box(m, 1, 0, 0, 4, 7, 2, 4);
		box(m, 1, 1, 1, 3, 1, 1, 3);
		box(m, 1, 6, 1, 3, 6, 1, 3);
		final ConnectedComponents.Components cc = ConnectedComponents.label(m, Connectivity.SIX);
		assertEquals(2, cc.count(), cc.toString());
		assertEquals(5 + 5 + 3, cc.size(1));
		assertEquals(9 + 9 + 24 + 2, cc.size(2));
		assertEquals(1, get(cc.labels(), 5, 0, 0));
		assertEquals(2, get(cc.labels(), 7, 2, 4));
	}

	@Test
	void numbersComponentsByTheirFirstVoxelInScanOrder() {
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(5, 5, 3);
		set(m, 1, 4, 4, 0); // first in scan order, but of the last slice-0 row
		set(m, 1, 0, 0, 2);
		set(m, 1, 0, 1, 2);
		set(m, 1, 3, 0, 1);
		final ConnectedComponents.Components cc = ConnectedComponents.label(m, Connectivity.TWENTY_SIX);
		assertEquals(3, cc.count());
		assertEquals(1, get(cc.labels(), 4, 4, 0));
		assertEquals(2, get(cc.labels(), 3, 0, 1));
		assertEquals(3, get(cc.labels(), 0, 1, 2));
		assertEquals(2, cc.size(3));
		assertEquals(0, get(cc.labels(), 1, 1, 1));
	}

	@ParameterizedTest(name = "{0}, density {1}")
	@CsvSource({ "SIX, 0.3", "SIX, 0.6", "TWENTY_SIX, 0.15", "TWENTY_SIX, 0.4" })
	void agreesWithAFloodFillOnRandomMasks(final Connectivity c, final double density) {
		final int sizeI = 23, sizeJ = 17, sizeK = 11;
		final Random rnd = new Random(42);
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(sizeI, sizeJ, sizeK);
		for (final UnsignedByteType v : m)
			v.set(rnd.nextDouble() < density ? 1 + rnd.nextInt(3) : 0);
		final int[] reference = floodFill(m, c);
		final ConnectedComponents.Components cc = ConnectedComponents.label(m, c);
		// same partition: a one-to-one correspondence of labels
		final Map<Integer, Integer> ours = new HashMap<>(), theirs = new HashMap<>();
		int idx = 0, max = 0;
		for (final IntType l : Views.flatIterable(cc.labels())) {
			final int a = l.get(), b = reference[idx++];
			assertEquals(a == 0, b == 0);
			if (a == 0) continue;
			assertEquals(b, (int) ours.computeIfAbsent(a, x -> b));
			assertEquals(a, (int) theirs.computeIfAbsent(b, x -> a));
			max = Math.max(max, b);
		}
		assertEquals(max, cc.count());
		assertEquals(max, ours.size());
	}

	/** Breadth-first reference labelling, components numbered by first voxel in scan order. */
	static int[] floodFill(final ArrayImg<UnsignedByteType, ByteArray> m, final Connectivity c) {
		final int sizeI = (int) m.dimension(0), sizeJ = (int) m.dimension(1), sizeK = (int) m.dimension(2);
		final byte[] v = m.update(null).getCurrentStorageArray();
		final int[] lab = new int[v.length];
		int n = 0;
		for (int start = 0; start < v.length; start++) {
			if (v[start] == 0 || lab[start] != 0) continue;
			lab[start] = ++n;
			final ArrayDeque<Integer> queue = new ArrayDeque<>();
			queue.add(start);
			while (!queue.isEmpty()) {
				final int p = queue.poll();
				final int i = p % sizeI, j = p / sizeI % sizeJ, k = p / (sizeI * sizeJ);
				for (int dk = -1; dk <= 1; dk++)
					for (int dj = -1; dj <= 1; dj++)
						for (int di = -1; di <= 1; di++) {
							final int steps = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
							if (steps == 0 || c == Connectivity.SIX && steps > 1) continue;
							final int ii = i + di, jj = j + dj, kk = k + dk;
							if (ii < 0 || jj < 0 || kk < 0 || ii >= sizeI || jj >= sizeJ || kk >= sizeK) continue;
							final int q = ii + sizeI * (jj + sizeJ * kk);
							if (v[q] != 0 && lab[q] == 0) {
								lab[q] = n;
								queue.add(q);
							}
						}
			}
		}
		return lab;
	}

	@Test
	void keepLargestRemovesEverySmallerBlobAndKeepsValues() {
		final PlanarImg<UnsignedByteType, ByteArray> m = PlanarImgs.unsignedBytes(12, 10, 8);
		box(m, 1, 0, 0, 0, 1, 1, 1); // 8 voxels
		box(m, 2, 4, 4, 2, 6, 6, 4); // 27 voxels, value 2
		set(m, 1, 7, 7, 5); // joins the big one by a corner
		box(m, 1, 10, 0, 6, 11, 2, 7); // 12 voxels
		final long removed = ConnectedComponents.keepLargest(m, Connectivity.TWENTY_SIX);
		assertEquals(20, removed);
		long sum = 0, count = 0;
		for (final UnsignedByteType v : m) {
			sum += v.get();
			if (v.get() != 0) count++;
		}
		assertEquals(28, count);
		assertEquals(27 * 2 + 1, sum);
	}

	@Test
	void keepLargestWorksThroughViewsAndKeepsTheFirstOfEqualBlobs() {
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(6, 6, 6);
		box(m, 1, 3, 3, 3, 4, 4, 4);
		box(m, 1, 0, 0, 0, 1, 1, 1);
		assertEquals(8, ConnectedComponents.keepLargest(Views.translate(m, 5, -2, 7), Connectivity.SIX));
		assertEquals(1, get(m, 0, 0, 0));
		assertEquals(0, get(m, 3, 3, 3));
	}

	@Test
	void keepLargestLeavesEmptyAndSingleMasksAlone() {
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(3, 3, 3);
		assertEquals(0, ConnectedComponents.keepLargest(m, Connectivity.TWENTY_SIX));
		set(m, 1, 1, 1, 1);
		assertEquals(0, ConnectedComponents.keepLargest(m, Connectivity.TWENTY_SIX));
		assertEquals(1, get(m, 1, 1, 1));
	}
}
