package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BilinearResizeTest {

	/**
	 * One row, hand-computed with OpenCV's rule f = (d + 0.5)·in/out − 0.5, taps floor(f) and
	 * floor(f) + 1, weights 1 − t and t, positions outside the first/last centre replicated.
	 */
	static Stream<Arguments> rows() {
		return Stream.of(
				// 2 → 4: f = −0.25 (replicate), 0.25, 0.75, 1.25 (replicate)
				Arguments.of(new float[] { 0, 4 }, 4, new float[] { 0, 1, 3, 4 }),
				// 4 → 2: f = 0.5, 2.5 (the mean of pixel pairs)
				Arguments.of(new float[] { 0, 2, 4, 6 }, 2, new float[] { 1, 5 }),
				// 3 → 2: f = 0.25, 1.75
				Arguments.of(new float[] { 0, 8, 16 }, 2, new float[] { 2, 14 }),
				// 2 → 5: f = −0.3, 0.1, 0.5, 0.9, 1.3
				Arguments.of(new float[] { 0, 10 }, 5, new float[] { 0, 1, 5, 9, 10 }),
				// same size: a copy
				Arguments.of(new float[] { 3, -1, 7 }, 3, new float[] { 3, -1, 7 }),
				// one pixel: replicated everywhere
				Arguments.of(new float[] { 5 }, 3, new float[] { 5, 5, 5 }));
	}

	@ParameterizedTest
	@MethodSource("rows")
	void resizesARowLikeOpenCv(final float[] src, final int out, final float[] expected) {
		assertArrayEquals(expected, BilinearResize.resize(src, src.length, 1, out, 1), 1e-5f);
	}

	@ParameterizedTest
	@MethodSource("rows")
	void resizesAColumnLikeARow(final float[] src, final int out, final float[] expected) {
		assertArrayEquals(expected, BilinearResize.resize(src, 1, src.length, 1, out), 1e-5f);
	}

	@Test
	void resizesBothAxesSeparably() {
		// 2×2 → 4×4: rows 0 and 3 replicate the source rows, rows 1 and 2 are 3:1 and 1:3 blends
		final float[] src = { 0, 10, 20, 30 };
		final float[] expected = {
				0, 2.5f, 7.5f, 10,
				5, 7.5f, 12.5f, 15,
				15, 17.5f, 22.5f, 25,
				20, 22.5f, 27.5f, 30 };
		assertArrayEquals(expected, BilinearResize.resize(src, 2, 2, 4, 4), 1e-5f);
	}

	@Test
	void resizesNonSquareImages() {
		// 3 wide × 1 high → 2 wide × 2 high: columns as in the 3 → 2 row, rows replicated
		final float[] src = { 0, 8, 16 };
		assertArrayEquals(new float[] { 2, 14, 2, 14 }, BilinearResize.resize(src, 3, 1, 2, 2), 1e-5f);
	}

	@Test
	void readsAndWritesAtOffsets() {
		final float[] src = { 99, 99, 0, 4 };
		final float[] dst = new float[6];
		BilinearResize.of(2, 1, 4, 1).apply(src, 2, dst, 1);
		assertArrayEquals(new float[] { 0, 0, 1, 3, 4, 0 }, dst, 1e-5f);
	}

	@Test
	void refusesShortArrays() {
		final BilinearResize r = BilinearResize.of(4, 4, 2, 2);
		assertThrows(IllegalArgumentException.class, () -> r.apply(new float[15], 0, new float[4], 0));
		assertThrows(IllegalArgumentException.class, () -> r.apply(new float[16], 0, new float[4], 1));
		assertThrows(IllegalArgumentException.class, () -> BilinearResize.of(0, 4, 2, 2));
	}
}
