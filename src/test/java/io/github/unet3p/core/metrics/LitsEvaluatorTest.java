package io.github.unet3p.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;

class LitsEvaluatorTest {

	private static final int[] GRID = { 7, 7, 7 };

	/**
	 * Hand-computed cases in a 7×7×7 grid. Shapes are unions of boxes "i0 j0 k0 i1 j1 k1" (inclusive)
	 * separated by ';', or "none". A 3×3×3 cube has 26 surface voxels (only its centre survives the
	 * erosion); when it is shifted by one voxel, 9 face voxels and the uncovered centre of the
	 * opposite face are 1 voxel away in each direction: 20 ones among 52 pooled distances.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			// name | prediction | truth | spacing | dice | voe | rvd | assd | mssd | hd95
			"cube vs itself | 2 2 2 4 4 4 | 2 2 2 4 4 4 | 1 1 1 | 1 | 0 | 0 | 0 | 0 | 0",
			"shift along i | 3 2 2 5 4 4 | 2 2 2 4 4 4 | 1 1 1 | 0.6666666666666666 | 0.5 | 0 | 0.38461538461538464 | 1 | 1",
			"shift along j | 2 3 2 4 5 4 | 2 2 2 4 4 4 | 1 1 1 | 0.6666666666666666 | 0.5 | 0 | 0.38461538461538464 | 1 | 1",
			"shift along k | 2 2 1 4 4 3 | 2 2 2 4 4 4 | 1 1 1 | 0.6666666666666666 | 0.5 | 0 | 0.38461538461538464 | 1 | 1",
			// the 9 face voxels are now 2.5 mm away, the uncovered face centre still 1 mm (in-plane): (9·2.5 + 1)·2 / 52
			"shift along k, k spacing 2.5 | 2 2 3 4 4 5 | 2 2 2 4 4 4 | 1 1 2.5 | 0.6666666666666666 | 0.5 | 0 | 0.9038461538461539 | 2.5 | 2.5",
			"shift along i, k spacing 2.5 | 3 2 2 5 4 4 | 2 2 2 4 4 4 | 1 1 2.5 | 0.6666666666666666 | 0.5 | 0 | 0.38461538461538464 | 1 | 1",
			// truth one voxel longer along i: 26 + 34 surface voxels, P→T one 1 (P's centre face voxel), T→P nine 1s
			"truth longer | 2 2 2 4 4 4 | 2 2 2 5 4 4 | 1 1 1 | 0.8571428571428571 | 0.25 | -0.25 | 0.16666666666666666 | 1 | 1",
			"truth longer, i spacing 2 | 2 2 2 4 4 4 | 2 2 2 5 4 4 | 2 1 1 | 0.8571428571428571 | 0.25 | -0.25 | 0.31666666666666665 | 2 | 2",
			// truth = cube plus one voxel on three faces: 52 zeros and 3 ones pooled; rank 0.95·54 = 51.3 lies between a 0 and a 1
			"three bumps | 2 2 2 4 4 4 | 2 2 2 4 4 4; 5 3 3 5 3 3; 3 5 3 3 5 3; 3 3 5 3 3 5 | 1 1 1 | 0.9473684210526315 | 0.1 | -0.1 | 0.05454545454545454 | 1 | 0.3",
			"single voxel vs itself | 3 3 3 3 3 3 | 3 3 3 3 3 3 | 0.8 0.8 2 | 1 | 0 | 0 | 0 | 0 | 0",
			"single voxels apart along k | 3 3 3 3 3 3 | 3 3 5 3 3 5 | 0.8 0.8 2 | 0 | 1 | 0 | 4 | 4 | 4",
			"prediction empty | none | 2 2 2 4 4 4 | 1 1 1 | 0 | 1 | -1 | NaN | NaN | NaN",
			"truth empty | 2 2 2 4 4 4 | none | 1 1 1 | 0 | 1 | NaN | NaN | NaN | NaN",
			"both empty | none | none | 1 1 1 | 1 | 0 | 0 | 0 | 0 | 0" })
	void handComputedCases(final String name, final String prediction, final String truth, final String spacing, final double dice,
			final double voe, final double rvd, final double assd, final double mssd, final double hd95) {
		final double[] s = Arrays.stream(spacing.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
		final CaseMetrics m = LitsEvaluator.evaluate(shape(prediction, s), shape(truth, s));
		assertEquals(dice, m.dice(), 1e-12, "dice");
		assertEquals(voe, m.voe(), 1e-12, "voe");
		assertEquals(rvd, m.rvd(), 1e-12, "rvd");
		assertEquals(assd, m.assdMm(), 1e-12, "assd");
		assertEquals(mssd, m.mssdMm(), 1e-12, "mssd");
		assertEquals(hd95, m.hd95Mm(), 1e-12, "hd95");
	}

	@Test
	void countsOfAShiftedCube() {
		final double[] iso = { 1, 1, 1 };
		final CaseMetrics m = LitsEvaluator.evaluate(shape("3 2 2 5 4 4", iso), shape("2 2 2 4 4 4", iso));
		assertEquals(18, m.truePositives());
		assertEquals(9, m.falsePositives());
		assertEquals(9, m.falseNegatives());
		assertEquals(27, m.predictionVoxels());
		assertEquals(27, m.truthVoxels());
		assertEquals(26, m.predictionSurfaceVoxels());
		assertEquals(26, m.truthSurfaceVoxels());
	}

	@Test
	void emptyMasksSayWhatTheyGive() {
		final double[] iso = { 1, 1, 1 };
		final CaseMetrics pEmpty = LitsEvaluator.evaluate(shape("none", iso), shape("2 2 2 4 4 4", iso));
		assertFalse(pEmpty.hasSurfaceDistances());
		assertTrue(pEmpty.emptyNote().startsWith("prediction empty"));
		assertTrue(LitsEvaluator.evaluate(shape("2 2 2 4 4 4", iso), shape("none", iso)).emptyNote().startsWith("truth empty"));
		assertTrue(LitsEvaluator.evaluate(shape("none", iso), shape("none", iso)).hasSurfaceDistances());
		assertEquals("", LitsEvaluator.evaluate(shape("2 2 2 4 4 4", iso), shape("2 2 2 4 4 4", iso)).emptyNote());
	}

	/** ASSD, MSSD and HD95 of random blobby shapes with random anisotropic spacing against all-pairs distances. */
	@Test
	void surfaceMetricsMatchBruteForceOnRandomShapes() {
		final Random random = new Random(20170);
		int compared = 0;
		for (int trial = 0; trial < 20; trial++) {
			final double[] spacing = { 0.5 + 2 * random.nextDouble(), 0.5 + 2 * random.nextDouble(), 0.5 + 4 * random.nextDouble() };
			final boolean[][][] p = TestMasks.blobs(random, 12, 10, 8), t = TestMasks.blobs(random, 12, 10, 8);
			final CaseMetrics m = LitsEvaluator.evaluate(TestMasks.of(p, spacing), TestMasks.of(t, spacing));
			final boolean[][][] sp = TestMasks.surface(p), st = TestMasks.surface(t);
			if (TestMasks.voxels(p).isEmpty() || TestMasks.voxels(t).isEmpty()) continue;
			final double[] pt = TestMasks.distances(sp, st, spacing), tp = TestMasks.distances(st, sp, spacing);
			final double sum = Arrays.stream(pt).sum() + Arrays.stream(tp).sum();
			final double max = Math.max(Arrays.stream(pt).max().orElseThrow(), Arrays.stream(tp).max().orElseThrow());
			final String at = "trial " + trial;
			assertEquals(sum / (pt.length + tp.length), m.assdMm(), 1e-9, at);
			assertEquals(max, m.mssdMm(), 1e-9, at);
			assertEquals(TestMasks.hd95(pt, tp), m.hd95Mm(), 1e-9, at);
			assertEquals(pt.length, m.predictionSurfaceVoxels(), at);
			assertEquals(tp.length, m.truthSurfaceVoxels(), at);
			compared++;
		}
		assertTrue(compared >= 15, "too few non-empty random cases: " + compared);
	}

	@Test
	void percentileInterpolatesLikeNumpy() {
		final double[] v = { 1, 2, 4, 8 };
		assertEquals(1, LitsEvaluator.percentile(v, 0));
		assertEquals(8, LitsEvaluator.percentile(v, 100));
		assertEquals(3, LitsEvaluator.percentile(v, 50), 1e-12); // rank 1.5
		assertEquals(4 + 0.85 * 4, LitsEvaluator.percentile(v, 95), 1e-12); // rank 2.85
		assertEquals(7, LitsEvaluator.percentile(new double[] { 7 }, 95));
	}

	@Test
	void volumesOfDifferentShapeAreRefusedNamingBothFiles() {
		final Volume a = labels(4, 4, 3, 1, 1, 1), b = labels(4, 4, 4, 1, 1, 1);
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> LitsEvaluator.evaluate(a, "volume-1-pred.nii", b, "segmentation-1.nii", LabelRule.LIVER));
		assertTrue(e.getMessage().contains("volume-1-pred.nii") && e.getMessage().contains("segmentation-1.nii"), e.getMessage());
		assertTrue(e.getMessage().contains("4×4×3"), e.getMessage());
	}

	@Test
	void spacingMustAgreeWithinOnePerMille() {
		final Volume truth = labels(4, 4, 4, 0.8, 0.8, 2.5);
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> LitsEvaluator.evaluate(labels(4, 4, 4, 0.8, 0.8, 2.51), "p.nii", truth, "t.nii", LabelRule.LIVER));
		assertTrue(e.getMessage().contains("p.nii") && e.getMessage().contains("t.nii"), e.getMessage());
		final CaseMetrics m = LitsEvaluator.evaluate(labels(4, 4, 4, 0.8, 0.8, 2.5015), "p.nii", truth, "t.nii", LabelRule.LIVER);
		assertEquals(1, m.dice());
	}

	@Test
	void tumourRuleEvaluatesLabelTwoOnly() {
		// truth: liver (1) in k = 0..1, tumour (2) at one voxel; prediction: everything labelled 1 except the same tumour voxel
		final Volume truth = labels(4, 4, 4, (i, j, k) -> i == 1 && j == 1 && k == 1 ? 2 : k <= 1 ? 1 : 0);
		final Volume pred = labels(4, 4, 4, (i, j, k) -> i == 1 && j == 1 && k == 1 ? 2 : 1);
		final CaseMetrics tumour = LitsEvaluator.evaluate(pred, truth, LabelRule.TUMOUR);
		assertEquals(1, tumour.dice());
		assertEquals(0, tumour.assdMm());
		final CaseMetrics liver = LitsEvaluator.evaluate(pred, truth, LabelRule.LIVER);
		assertEquals(2.0 * 32 / (64 + 32), liver.dice(), 1e-12);
		assertEquals(1.0, liver.rvd(), 1e-12);
	}

	private static BinaryMask shape(final String boxes, final double[] spacing) {
		if (boxes.trim().equals("none")) return BinaryMask.empty(GRID, spacing);
		final int[][] list = Arrays.stream(boxes.split(";")).map(b -> Arrays.stream(b.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray())
				.toArray(int[][]::new);
		return BinaryMask.of(GRID, spacing, (i, j, k) -> {
			for (final int[] b : list)
				if (i >= b[0] && j >= b[1] && k >= b[2] && i <= b[3] && j <= b[4] && k <= b[5]) return true;
			return false;
		});
	}

	private static Volume labels(final int ni, final int nj, final int nk, final double si, final double sj, final double sk) {
		return Volume.of(ArrayImgs.unsignedBytes(ni, nj, nk), VolumeGeometry.ofSpacing(si, sj, sk));
	}

	@FunctionalInterface
	private interface LabelAt {
		int label(int i, int j, int k);
	}

	private static Volume labels(final int ni, final int nj, final int nk, final LabelAt at) {
		final ArrayImg<UnsignedByteType, ByteArray> img = ArrayImgs.unsignedBytes(ni, nj, nk);
		final byte[] data = img.update(null).getCurrentStorageArray();
		for (int k = 0; k < nk; k++)
			for (int j = 0; j < nj; j++)
				for (int i = 0; i < ni; i++)
					data[i + ni * (j + nj * k)] = (byte) at.label(i, j, k);
		return Volume.of(img, VolumeGeometry.ofSpacing(1, 1, 1));
	}
}
