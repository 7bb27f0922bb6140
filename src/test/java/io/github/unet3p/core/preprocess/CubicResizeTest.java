package io.github.unet3p.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class CubicResizeTest {

	/** Keys weights at a = −0.75 for t = 0.25: taps −1, 0, +1, +2 (exact binary fractions). */
	private static final double A = -0.10546875, B = 0.87890625, C = 0.26171875, D = -0.03515625;

	@Test
	void weightsAreKeysKernel() {
		assertArrayEquals(new float[] { (float) A, (float) B, (float) C, (float) D }, CubicResize.weights(0.25f));
		assertArrayEquals(new float[] { 0, 1, 0, 0 }, CubicResize.weights(0f));
		assertArrayEquals(new float[] { -0.09375f, 0.59375f, 0.59375f, -0.09375f }, CubicResize.weights(0.5f));
	}

	/**
	 * 4 → 8 along x on [0, 10, 20, 40]: source positions d/2 − 0.25, replicated border; t = 0.25
	 * uses the weights (A, B, C, D) above, t = 0.75 the same reversed.
	 */
	@Test
	void upscalesFourToEightByHand() {
		final double[] byHand = {
				10 * A, //                          d = 0: taps −2..1 → 0 0 0 10, t = .75
				10 * C + 20 * D, //                 d = 1: taps −1..2 → 0 0 10 20, t = .25
				10 * B + 20 * A, //                 d = 2: taps −1..2, t = .75
				10 * B + 20 * C + 40 * D, //        d = 3: taps 0..3 → 0 10 20 40, t = .25
				10 * C + 20 * B + 40 * A, //        d = 4: taps 0..3, t = .75
				10 * A + 20 * B + 40 * C + 40 * D, // d = 5: taps 1..4 → 10 20 40 40, t = .25
				10 * D + 20 * C + 40 * B + 40 * A, // d = 6: taps 1..4, t = .75
				20 * A + 40 * B + 40 * C + 40 * D }; // d = 7: taps 2..5 → 20 40 40 40, t = .25
		assertArrayEquals(new double[] { -1.0546875, 1.9140625, 6.6796875, 12.6171875, 15.9765625, 25.5859375, 35.8203125, 42.109375 }, byHand, 1e-12);
		final double[] row = { 0, 10, 20, 40 };
		final double[] expected = byHand;
		// 4×4 → 8×8 with every row equal: every output row is the 1-D result
		final double[] src = new double[16];
		for (int y = 0; y < 4; y++)
			System.arraycopy(row, 0, src, 4 * y, 4);
		final double[] dst = new double[64];
		CubicResize.of(4, 4, 8, 8).apply(src, dst);
		for (int y = 0; y < 8; y++)
			assertArrayEquals(expected, Arrays.copyOfRange(dst, 8 * y, 8 * y + 8), 1e-12, "row " + y);
		// the transpose: every output column is the 1-D result
		final double[] srcT = new double[16];
		for (int y = 0; y < 4; y++)
			Arrays.fill(srcT, 4 * y, 4 * y + 4, row[y]);
		CubicResize.of(4, 4, 8, 8).apply(srcT, dst);
		for (int y = 0; y < 8; y++)
			for (int x = 0; x < 8; x++)
				assertEquals(expected[y], dst[8 * y + x], 1e-12);
	}

	@Test
	void downscalesEightToThreeWithoutAntiAliasing() {
		final double[] src = new double[8];
		for (int i = 0; i < 8; i++)
			src[i] = i * i;
		final double[] dst = new double[3];
		CubicResize.of(8, 1, 3, 1).apply(src, dst);
		// centre 1.5·8/3 − 0.5 = 3.5: taps 2..5 with weights (−0.09375, 0.59375, 0.59375, −0.09375)
		assertEquals(-0.09375 * 4 + 0.59375 * 9 + 0.59375 * 16 - 0.09375 * 25, dst[1], 0);
		assertEquals(12.125, dst[1], 0);
		// the outer ones against the plain Keys formula at positions 5/6 and 37/6 (float weights: 1e-5)
		assertEquals(keys(src, 5.0 / 6), dst[0], 1e-5);
		assertEquals(keys(src, 37.0 / 6), dst[2], 1e-5);
	}

	/** Straightforward 1-D Keys interpolation (a = −0.75) with replicated border, all in double. */
	private static double keys(final double[] v, final double x) {
		final int s = (int) Math.floor(x);
		double sum = 0;
		for (int k = s - 1; k <= s + 2; k++) {
			final double d = Math.abs(x - k);
			final double w = d <= 1 ? 1.25 * d * d * d - 2.25 * d * d + 1 : -0.75 * d * d * d + 3.75 * d * d - 6 * d + 3;
			sum += w * v[Math.min(Math.max(k, 0), v.length - 1)];
		}
		return sum;
	}

	@Test
	void constantStaysConstant() {
		final double[] src = new double[35];
		Arrays.fill(src, -123.5);
		final double[] dst = new double[11 * 13];
		CubicResize.of(7, 5, 11, 13).apply(src, dst);
		for (final double v : dst)
			assertEquals(-123.5, v, 1e-9);
	}

	@Test
	void matchesOpenCvBitForBit() throws IOException {
		try (BufferedReader in = new BufferedReader(new InputStreamReader(getClass().getResourceAsStream("cubic_opencv.txt"), StandardCharsets.US_ASCII))) {
			in.readLine();
			int cases = 0;
			for (String line; (line = in.readLine()) != null;) {
				final int[] s = Arrays.stream(line.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
				final double[] src = parse(in.readLine()), expected = parse(in.readLine());
				final double[] dst = new double[s[2] * s[3]];
				CubicResize.of(s[0], s[1], s[2], s[3]).apply(src, dst);
				assertArrayEquals(expected, dst, 0, line);
				cases++;
			}
			assertEquals(3, cases);
		}
	}

	private static double[] parse(final String line) {
		return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
	}
}
