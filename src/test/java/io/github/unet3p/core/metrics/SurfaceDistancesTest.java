package io.github.unet3p.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.ProgressListener;

class SurfaceDistancesTest {

	@Test
	void envelopeIsTheMinimumOfWeightedParabolas() {
		final double inf = Double.POSITIVE_INFINITY;
		final double[] f = { inf, 4, inf, inf, 0, inf, 9, inf };
		final double[] out = new double[f.length];
		SurfaceDistances.envelope(f, 0, 1, f.length, 2.25, out, new int[f.length], new double[f.length + 1]);
		for (int q = 0; q < f.length; q++) {
			double best = inf;
			for (int p = 0; p < f.length; p++)
				best = Math.min(best, f[p] + 2.25 * (q - p) * (q - p));
			assertEquals(best, out[q], 1e-12, "q=" + q);
		}
		final double[] none = { inf, inf };
		SurfaceDistances.envelope(none, 0, 1, 2, 1, out, new int[2], new double[3]);
		assertEquals(inf, out[0]);
		assertEquals(inf, out[1]);
	}

	/** Exact against all-pairs distances, including rows across 64-bit words and very anisotropic spacing. */
	@ParameterizedTest
	@CsvSource({ "12,10,8,11", "70,4,5,12", "5,9,13,13", "1,6,7,14" })
	void matchesBruteForce(final int ni, final int nj, final int nk, final long seed) {
		final Random random = new Random(seed);
		for (int trial = 0; trial < 6; trial++) {
			final double[] spacing = { 0.3 + 3 * random.nextDouble(), 0.3 + 3 * random.nextDouble(), 0.3 + 3 * random.nextDouble() };
			final boolean[][][] a = TestMasks.blobs(random, ni, nj, nk), b = TestMasks.blobs(random, ni, nj, nk);
			final double[] expected = TestMasks.distances(a, b, spacing);
			final double[] actual = SurfaceDistances.directed(TestMasks.of(a, spacing), TestMasks.of(b, spacing));
			assertEquals(expected.length, actual.length);
			for (int n = 0; n < expected.length; n++)
				assertEquals(expected[n], actual[n], 1e-9 * (1 + expected[n]), "seed " + seed + " trial " + trial + " voxel " + n);
		}
	}

	@Test
	void emptyTargetGivesInfinityAndEmptySourceGivesNothing() {
		final int[] dims = { 4, 4, 4 };
		final double[] iso = { 1, 1, 1 };
		final BinaryMask one = BinaryMask.of(dims, iso, (i, j, k) -> i == 1 && j == 2 && k == 3);
		final BinaryMask none = BinaryMask.empty(dims, iso);
		assertArrayEquals(new double[] { Double.POSITIVE_INFINITY }, SurfaceDistances.directed(one, none));
		assertEquals(0, SurfaceDistances.directed(none, one).length);
	}

	@Test
	void refusesMismatchedGridsAndStopsWhenCancelled() {
		final BinaryMask a = BinaryMask.of(new int[] { 4, 4, 4 }, new double[] { 1, 1, 1 }, (i, j, k) -> k == 0);
		assertThrows(IllegalArgumentException.class, () -> SurfaceDistances.directed(a, a.withSpacing(1, 1, 2)));
		final Cancellation cancel = new Cancellation();
		cancel.cancel();
		assertThrows(CancelledException.class, () -> SurfaceDistances.directed(a, a, cancel, ProgressListener.NONE));
	}

	@Test
	void farApartObjectsUseOnlyTheirBoundingBoxButStayExact() {
		final int[] dims = { 40, 30, 20 };
		final double[] spacing = { 0.5, 0.75, 3 };
		final BinaryMask a = BinaryMask.of(dims, spacing, (i, j, k) -> i == 2 && j == 3 && k == 1);
		final BinaryMask b = BinaryMask.of(dims, spacing, (i, j, k) -> i == 37 && j == 25 && k == 18);
		final double expected = Math.sqrt(Math.pow(35 * 0.5, 2) + Math.pow(22 * 0.75, 2) + Math.pow(17 * 3, 2));
		assertEquals(expected, SurfaceDistances.directed(a, b)[0], 1e-12);
		assertEquals(expected, SurfaceDistances.directed(b, a)[0], 1e-12);
		assertEquals(0, Arrays.stream(SurfaceDistances.directed(a, a)).sum());
	}
}
