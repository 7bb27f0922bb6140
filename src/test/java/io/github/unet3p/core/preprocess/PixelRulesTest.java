package io.github.unet3p.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet3p.core.util.InvalidInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-line rules: HU window, per-slice scaling, channel stacking, label merge, settings. */
class PixelRulesTest {

	@Test
	void windowClipsBothEnds() {
		final double[] v = { -1000, -200, 0, 250, 3000 };
		HuWindow.clip(v, v.length, -200, 250);
		assertArrayEquals(new double[] { -200, -200, 0, 250, 250 }, v);
	}

	@ParameterizedTest
	@CsvSource({
			"'0 1 2', '0 127 255'", // 0.5·255 = 127.5 truncates to 127
			"'-200 250 25', '0 255 127'",
			"'3 3 3', '0 0 0'", // constant slice: all 0, no division
			"'0 1 3', '0 85 255'",
			"'0 0.999 1000', '0 0 255'" })
	void scalerTruncatesPerSlice(final String in, final String expected) {
		final double[] v = java.util.Arrays.stream(in.split(" ")).mapToDouble(Double::parseDouble).toArray();
		final byte[] out = new byte[v.length];
		SliceScaler.toUint8(v, v.length, out);
		final int[] got = new int[out.length];
		for (int i = 0; i < out.length; i++)
			got[i] = out[i] & 0xff;
		assertArrayEquals(NearestResizeTest.Ints.parse(expected), got);
	}

	@Test
	void stackerClampsNeighbours() {
		assertEquals(0, ChannelStacker.neighbour(0, 0, 5));
		assertEquals(0, ChannelStacker.neighbour(0, 1, 5));
		assertEquals(1, ChannelStacker.neighbour(0, 2, 5));
		assertEquals(2, ChannelStacker.neighbour(3, 0, 5));
		assertEquals(4, ChannelStacker.neighbour(4, 2, 5));
		assertEquals(0, ChannelStacker.neighbour(0, 2, 1));
		assertArrayEquals(new byte[] { 1, 2, 3, 4, 5, 6 }, ChannelStacker.interleave(new byte[] { 1, 4 }, new byte[] { 2, 5 }, new byte[] { 3, 6 }));
	}

	@Test
	void labelsMergeToOne() {
		final byte[] out = new byte[5];
		LabelMerge.toBinary(new double[] { 0, 1, 2, -1, 0.5 }, 5, out);
		assertArrayEquals(new byte[] { 0, 1, 1, 1, 1 }, out);
	}

	@Test
	void settingsDefaultToTheSeed() {
		final PreprocessSettings s = PreprocessSettings.defaults();
		assertEquals(-200, s.huMin());
		assertEquals(250, s.huMax());
		assertEquals(320, s.size());
		assertEquals(PreprocessSettings.builder().optHuMin(-200).optHuMax(250).optSize(320).build(), s);
	}

	@ParameterizedTest
	@CsvSource({ "100, 100, 320, hu_min", "300, 250, 320, hu_max", "-200, 250, 15, size", "-200, 250, 5000, size", "NaN, 250, 320, hu_min" })
	void settingsRejectNonsenseNamingTheKey(final double min, final double max, final int size, final String key) {
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> PreprocessSettings.builder().optHuMin(min).optHuMax(max).optSize(size).build());
		assertTrue(e.getMessage().startsWith(key) || e.getMessage().contains(key), e.getMessage());
	}
}
