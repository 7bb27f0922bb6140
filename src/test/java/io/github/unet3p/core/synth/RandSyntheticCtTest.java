package io.github.unet3p.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.unet3p.core.volume.Volume;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;

class RandSyntheticCtTest {

	private static final int CASES = 6;
	private static final SyntheticCtSettings SETTINGS = SyntheticCtSettings.builder().setCount(CASES).setSeed(2024).build();
	private static final int N = SETTINGS.size(), K = SETTINGS.slices(), PLANE = N * N;

	private static short[][] ct;
	private static byte[][] labels;
	private static byte[][] tissues;

	@BeforeAll
	static void generate() {
		ct = new short[CASES][];
		labels = new byte[CASES][];
		tissues = new byte[CASES][];
		for (int n = 0; n < CASES; n++) {
			tissues[n] = new byte[PLANE * K];
			final SyntheticCase c = RandSyntheticCt.generate(SETTINGS, n, tissues[n]);
			ct[n] = shorts(c.ct());
			labels[n] = bytes(c.labels());
		}
	}

	@SuppressWarnings("unchecked")
	private static short[] shorts(final Volume v) {
		return ((ArrayImg<ShortType, ShortArray>) v.raw()).update(null).getCurrentStorageArray();
	}

	@SuppressWarnings("unchecked")
	private static byte[] bytes(final Volume v) {
		return ((ArrayImg<UnsignedByteType, ByteArray>) v.raw()).update(null).getCurrentStorageArray();
	}

	@Test
	void caseIsInt16CtAndUint8LabelsOnTheSameGrid() {
		final SyntheticCase c = RandSyntheticCt.generate(SETTINGS, 0);
		assertArrayEquals(new long[] { 128, 128, 48 }, c.ct().dimensions());
		assertArrayEquals(c.ct().dimensions(), c.labels().dimensions());
		assertInstanceOf(ShortType.class, c.ct().raw().getType());
		assertInstanceOf(UnsignedByteType.class, c.labels().raw().getType());
		assertEquals(c.ct().geometry(), c.labels().geometry());
		assertArrayEquals(new double[] { 3, 3, 4 }, c.ct().geometry().spacing());
		final double[][] a = c.ct().geometry().affine();
		assertArrayEquals(new double[] { -3, 3, 4 }, new double[] { a[0][0], a[1][1], a[2][2] });
		assertEquals(1, c.ct().slope());
		assertEquals(0, c.ct().intercept());
	}

	@Test
	void sameSeedGivesIdenticalVoxelsWhateverTheCount() {
		final SyntheticCtSettings other = SyntheticCtSettings.builder().setCount(2).setSeed(2024).build();
		final SyntheticCase again = RandSyntheticCt.generate(other, 1);
		assertArrayEquals(ct[1], shorts(again.ct()));
		assertArrayEquals(labels[1], bytes(again.labels()));
	}

	@Test
	void differentSeedOrCaseGivesDifferentVoxels() {
		final SyntheticCtSettings other = SyntheticCtSettings.builder().setCount(1).setSeed(2025).build();
		assertFalse(java.util.Arrays.equals(ct[0], shorts(RandSyntheticCt.generate(other, 0).ct())));
		assertFalse(java.util.Arrays.equals(ct[0], ct[1]));
	}

	@Test
	void labelsAreOnlyBackgroundLiverTumour() {
		for (final byte[] l : labels)
			for (final byte v : l)
				assertTrue(v >= 0 && v <= 2, "label " + v);
	}

	@Test
	void liverIsOnMostSlicesAndTumoursOccur() {
		int withTumours = 0;
		for (int n = 0; n < CASES; n++) {
			int liverSlices = 0, tumourVoxels = 0;
			for (int k = 0; k < K; k++) {
				boolean liver = false;
				for (int p = k * PLANE; p < (k + 1) * PLANE; p++) {
					liver |= labels[n][p] != 0;
					if (labels[n][p] == 2) tumourVoxels++;
				}
				if (liver) liverSlices++;
			}
			assertTrue(liverSlices > K / 2, "case " + n + ": liver on only " + liverSlices + " of " + K + " slices");
			assertTrue(liverSlices < K, "case " + n + ": liver on every slice: the scan never leaves the liver");
			if (tumourVoxels > 0) withTumours++;
		}
		assertTrue(withTumours >= 2, withTumours + " of " + CASES + " cases have tumours");
	}

	@Test
	void everyTumourIsEmbeddedInLiver() {
		for (int n = 0; n < CASES; n++) {
			final byte[] l = labels[n];
			final boolean[] seen = new boolean[l.length];
			for (int p = 0; p < l.length; p++) {
				if (l[p] != 2 || seen[p]) continue;
				// 6-connected tumour component: it must touch liver (label 1) somewhere.
				boolean touchesLiver = false;
				final ArrayDeque<Integer> queue = new ArrayDeque<>();
				queue.add(p);
				seen[p] = true;
				while (!queue.isEmpty()) {
					final int q = queue.poll();
					final int i = q % N, j = q / N % N, k = q / PLANE;
					final int[][] nb = { { i - 1, j, k }, { i + 1, j, k }, { i, j - 1, k }, { i, j + 1, k }, { i, j, k - 1 }, { i, j, k + 1 } };
					for (final int[] x : nb) {
						if (x[0] < 0 || x[1] < 0 || x[2] < 0 || x[0] >= N || x[1] >= N || x[2] >= K) continue;
						final int r = x[0] + N * (x[1] + N * x[2]);
						if (l[r] == 1) touchesLiver = true;
						if (l[r] == 2 && !seen[r]) {
							seen[r] = true;
							queue.add(r);
						}
					}
				}
				assertTrue(touchesLiver, "case " + n + ": a tumour at voxel " + p + " is not inside the liver");
			}
		}
	}

	@Test
	void spleenHasTheLiversValueButIsNotLabelled() {
		for (int n = 0; n < CASES; n++) {
			final double liver = meanHu(n, Tissue.LIVER), spleen = meanHu(n, Tissue.SPLEEN);
			assertTrue(Math.abs(liver - spleen) < 2, "case " + n + ": liver " + liver + " HU, spleen " + spleen + " HU");
			for (int p = 0; p < labels[n].length; p++)
				if (tissues[n][p] == Tissue.SPLEEN.ordinal()) assertEquals(0, labels[n][p], "case " + n + ": spleen voxel " + p + " labelled");
		}
	}

	@ParameterizedTest
	@EnumSource(Tissue.class)
	void tissueValuesAreInTheirRange(final Tissue tissue) {
		int measured = 0;
		for (int n = 0; n < CASES; n++) {
			if (count(n, tissue) < 30) continue;
			final double mean = meanHu(n, tissue);
			assertTrue(mean >= tissue.minHu - 3 && mean <= tissue.maxHu + 3,
				"case " + n + ": " + tissue + " averages " + mean + " HU, expected " + tissue.minHu + " … " + tissue.maxHu);
			measured++;
		}
		assertTrue(measured >= 2, tissue + " is (nearly) absent from all but " + measured + " cases");
	}

	@Test
	void liverLabelCoversLiverValuedVoxels() {
		for (int n = 0; n < CASES; n++) {
			double sum = 0;
			int count = 0;
			for (int p = 0; p < labels[n].length; p++)
				if (labels[n][p] == 1) {
					sum += ct[n][p];
					count++;
				}
			final double mean = sum / count;
			assertTrue(mean > 50 && mean < 85, "case " + n + ": voxels labelled liver average " + mean + " HU");
		}
	}

	@Test
	void noiseIsTenToTwentyHuAndSpatiallyCorrelated() {
		for (int n = 0; n < CASES; n++) {
			double s = 0, ss = 0, lag = 0;
			int count = 0;
			for (int p = 0; p + 1 < labels[n].length; p++)
				if (tissues[n][p] == Tissue.AIR.ordinal() && tissues[n][p + 1] == Tissue.AIR.ordinal() && p % N != N - 1) {
					final double a = ct[n][p] + 1000, b = ct[n][p + 1] + 1000;
					s += a;
					ss += a * a;
					lag += a * b;
					count++;
				}
			final double var = ss / count - (s / count) * (s / count);
			final double sd = Math.sqrt(var), corr = (lag / count - (s / count) * (s / count)) / var;
			assertTrue(sd > 9.5 && sd < 20.5, "case " + n + ": noise sd " + sd);
			assertTrue(corr > 0.6 && corr < 0.73, "case " + n + ": neighbour correlation " + corr);
		}
	}

	@Test
	void rot90ShowsLiverOnImageLeftAndSpineAtTheBottom() {
		// Display (r, c) = stored (i = c, j = J-1-r): the liver's i is small, the spine's j is small.
		for (int n = 0; n < CASES; n++) {
			double liverI = 0, boneJ = 0;
			int liver = 0, bone = 0;
			for (int p = 0; p < labels[n].length; p++) {
				if (labels[n][p] != 0) {
					liverI += p % N;
					liver++;
				}
				if (tissues[n][p] == Tissue.BONE_MARROW.ordinal() && Math.abs(p % N - N / 2) < 4) {
					boneJ += p / N % N;
					bone++;
				}
			}
			assertTrue(liverI / liver < 0.45 * N, "case " + n + ": liver centre at column " + liverI / liver);
			assertTrue(boneJ / bone < 0.45 * N, "case " + n + ": spine centre at display row " + (N - 1 - boneJ / bone));
		}
	}

	@Test
	void edgesArePartialVolume() {
		for (int n = 0; n < CASES; n++) {
			int mixed = 0;
			for (final byte t : tissues[n])
				if (t == Tissue.MIXED) mixed++;
			assertTrue(mixed > tissues[n].length / 50, "case " + n + ": only " + mixed + " partial-volume voxels");
		}
	}

	private static int count(final int n, final Tissue t) {
		int c = 0;
		for (final byte b : tissues[n])
			if (b == t.ordinal()) c++;
		return c;
	}

	private static double meanHu(final int n, final Tissue t) {
		double s = 0;
		int c = 0;
		for (int p = 0; p < ct[n].length; p++)
			if (tissues[n][p] == t.ordinal()) {
				s += ct[n][p];
				c++;
			}
		return s / c;
	}
}
