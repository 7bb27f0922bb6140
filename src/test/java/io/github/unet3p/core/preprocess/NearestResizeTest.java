package io.github.unet3p.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NearestResizeTest {

	@ParameterizedTest
	@CsvSource({ "3, 8, '0 0 0 1 1 1 2 2'", "8, 3, '0 2 5'", "4, 4, '0 1 2 3'", "5, 2, '0 2'", "1, 3, '0 0 0'" })
	void tableIsFloorOfScaledIndex(final int in, final int out, final String expected) {
		assertArrayEquals(Ints.parse(expected), NearestResize.table(in, out));
	}

	@Test
	void usesOpenCvsInverseScaleNotInOverOut() {
		// 49·(1/(98/2)) = 0.9999999999999999 → 0 in OpenCV (checked with cv2 4.6.0), while 49·2/98 = 1
		assertEquals(0, NearestResize.table(2, 98)[49]);
		assertEquals(1, NearestResize.table(2, 98)[50]);
	}

	@Test
	void resizesRowsAndColumns() {
		// 2×3 (width 2, height 3) → 4×2
		final double[] src = { 1, 2, 3, 4, 5, 6 };
		final double[] dst = new double[8];
		NearestResize.of(2, 3, 4, 2).apply(src, dst);
		// rows 0 and floor(1·1.5) = 1; columns 0 0 1 1
		assertArrayEquals(new double[] { 1, 1, 2, 2, 3, 3, 4, 4 }, dst);
	}

	/** Parses int tables. */
	static final class Ints {

		static int[] parse(final String s) {
			return java.util.Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
		}
	}
}
