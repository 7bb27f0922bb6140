package io.github.unet3p.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SurfaceExtractorTest {

	private static final double[] ISO = { 1, 1, 1 };
	private static final int[] SEVEN = { 7, 7, 7 };

	private static BinaryMask cube3() {
		return TestMasks.box(SEVEN, ISO, new int[] { 2, 2, 2 }, new int[] { 4, 4, 4 });
	}

	@Test
	void singleVoxelIsItsOwnSurface() {
		final BinaryMask one = BinaryMask.of(SEVEN, ISO, (i, j, k) -> i == 3 && j == 3 && k == 3);
		assertTrue(SurfaceExtractor.erode(one).isEmpty());
		assertEquals(one, SurfaceExtractor.surface(one));
	}

	@Test
	void cubeOfThreeKeepsOnlyItsCentreInside() {
		final BinaryMask s = SurfaceExtractor.surface(cube3());
		assertEquals(26, s.count());
		assertFalse(s.get(3, 3, 3));
		assertEquals(1, SurfaceExtractor.erode(cube3()).count());
	}

	/** The 18-neighbourhood ignores corners: a missing corner leaves the centre inside (26-neighbourhood would not). */
	@Test
	void missingCornerDoesNotExposeTheCentre() {
		final BinaryMask m = BinaryMask.of(SEVEN, ISO, (i, j, k) -> cube3().get(i, j, k) && !(i == 2 && j == 2 && k == 2));
		final BinaryMask s = SurfaceExtractor.surface(m);
		assertFalse(s.get(3, 3, 3), "centre stays interior under the 18-neighbourhood");
		assertEquals(25, s.count());
	}

	/** An edge neighbour is in the 18-neighbourhood: a missing edge voxel exposes the centre (6-neighbourhood would not). */
	@Test
	void missingEdgeVoxelExposesTheCentre() {
		final BinaryMask m = BinaryMask.of(SEVEN, ISO, (i, j, k) -> cube3().get(i, j, k) && !(i == 2 && j == 2 && k == 3));
		final BinaryMask s = SurfaceExtractor.surface(m);
		assertTrue(s.get(3, 3, 3));
		assertEquals(26, s.count());
	}

	/** Outside the array counts as background: a mask filling a 4×4×4 array keeps only its 2×2×2 core. */
	@Test
	void arrayBorderIsBackground() {
		final BinaryMask full = BinaryMask.of(new int[] { 4, 4, 4 }, ISO, (i, j, k) -> true);
		assertEquals(56, SurfaceExtractor.surface(full).count());
		assertEquals(8, SurfaceExtractor.erode(full).count());
	}

	/** Rows longer than one 64-bit word, and sizes at word boundaries, match the definition voxel by voxel. */
	@ParameterizedTest
	@CsvSource({ "12,10,8,1", "63,5,5,2", "64,5,5,3", "65,6,4,4", "130,5,6,5", "7,1,9,6", "1,1,1,7" })
	void matchesTheDefinitionOnRandomShapes(final int ni, final int nj, final int nk, final long seed) {
		final Random random = new Random(seed);
		for (int trial = 0; trial < 5; trial++) {
			final boolean[][][] v = TestMasks.blobs(random, ni, nj, nk);
			final BinaryMask surface = SurfaceExtractor.surface(TestMasks.of(v, ISO));
			final boolean[][][] expected = TestMasks.surface(v);
			final boolean[][][] actual = TestMasks.toArray(surface);
			for (int i = 0; i < ni; i++)
				for (int j = 0; j < nj; j++)
					assertArrayEquals(expected[i][j], actual[i][j], "seed " + seed + " trial " + trial + " at i=" + i + ", j=" + j);
		}
	}
}
