package io.github.unet3p.core.volume.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunLengthDeflateTest {

	/** Inflates a whole zlib stream with the JDK's zlib, which also checks the Adler-32 trailer. */
	private static byte[] inflate(final byte[] z, final int expected) throws DataFormatException {
		final Inflater inflater = new Inflater();
		try {
			inflater.setInput(z);
			final byte[] out = new byte[expected + 1];
			int n = 0;
			while (!inflater.finished() && n < out.length) {
				final int got = inflater.inflate(out, n, out.length - n);
				if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
				n += got;
			}
			assertTrue(inflater.finished(), "the stream ends where zlib expects it");
			assertEquals(0, inflater.getRemaining(), "nothing follows the stream");
			return Arrays.copyOf(out, n);
		}
		finally {
			inflater.end();
		}
	}

	private static void assertRoundTrip(final byte[] data) throws DataFormatException {
		assertArrayEquals(data, inflate(RunLengthDeflate.compress(data, 0, data.length), data.length));
	}

	/** Random bytes with runs of random lengths (1 to 600) of random values, seeded. */
	private static byte[] runsAndNoise(final int n, final long seed, final int alphabet) {
		final Random rnd = new Random(seed);
		final byte[] b = new byte[n];
		for (int i = 0; i < n;) {
			final int run = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(600) : 1;
			final byte v = (byte) rnd.nextInt(alphabet);
			for (int k = 0; k < run && i < n; k++)
				b[i++] = v;
		}
		return b;
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 2, 3, 4, 257, 258, 259, 1000, RunLengthDeflate.BLOCK - 1, RunLengthDeflate.BLOCK, RunLengthDeflate.BLOCK + 1,
			3 * RunLengthDeflate.BLOCK + 17 })
	void runsAndNoiseInflateToTheInput(final int n) throws DataFormatException {
		assertRoundTrip(runsAndNoise(n, n, 256));
		assertRoundTrip(runsAndNoise(n, n + 1, 3));
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 1, 100, 300_000 })
	void incompressibleBytesInflateToTheInput(final int n) throws DataFormatException {
		final byte[] b = new byte[n];
		new Random(n).nextBytes(b);
		assertRoundTrip(b);
	}

	/** Every run length 1…300 alone and after a different byte, so each length code and its extra bits occur. */
	@Test
	void everyRunLengthInflatesToTheInput() throws DataFormatException {
		for (int len = 1; len <= 300; len++) {
			final byte[] b = new byte[len + 1];
			Arrays.fill(b, 1, b.length, (byte) 7);
			assertRoundTrip(b);
			assertRoundTrip(Arrays.copyOfRange(b, 1, b.length));
		}
	}

	@Test
	void aRangeInsideALargerArrayIsCompressedAlone() throws DataFormatException {
		final byte[] b = runsAndNoise(5000, 9, 4);
		final byte[] z = RunLengthDeflate.compress(b, 1234, 2000);
		assertArrayEquals(Arrays.copyOfRange(b, 1234, 3234), inflate(z, 2000));
	}

	@Test
	void aBlankMaskShrinksBelowOnePercent() throws DataFormatException {
		// 320 Sub-filtered rows of a 320-pixel gray mask: filter byte 1, then 320 zeros
		final byte[] rows = new byte[320 * 321];
		for (int y = 0; y < 320; y++)
			rows[y * 321] = 1;
		final byte[] z = RunLengthDeflate.compress(rows, 0, rows.length);
		assertTrue(z.length < rows.length / 100, z.length + " bytes");
		assertArrayEquals(rows, inflate(z, rows.length));
	}

	@Test
	void skewedCountsGiveCodesOfAtMostFifteenBits() {
		// Fibonacci counts make the optimal Huffman code as deep as there are symbols
		final int[] freq = new int[30];
		freq[0] = 1;
		freq[1] = 1;
		for (int i = 2; i < freq.length; i++)
			freq[i] = freq[i - 1] + freq[i - 2];
		final int[] len = RunLengthDeflate.lengths(freq, 15);
		double kraft = 0;
		for (final int l : len) {
			assertTrue(l >= 1 && l <= 15, "length " + l);
			kraft += Math.pow(2, -l);
		}
		assertTrue(kraft <= 1.0, "a prefix code (Kraft sum " + kraft + ")");
	}

	/** RFC 1951, 3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give codes 010 011 100 101 110 00 1110 1111. */
	@ParameterizedTest(name = "symbol {0}")
	@CsvSource({ "0, 010", "1, 011", "2, 100", "3, 101", "4, 110", "5, 00", "6, 1110", "7, 1111" })
	void canonicalCodesFollowTheRfcExample(final int symbol, final String code) {
		final int[] codes = RunLengthDeflate.canonical(new int[] { 3, 3, 3, 3, 3, 2, 4, 4 });
		// codes are stored bit-reversed (sent least significant bit first)
		final String reversed = new StringBuilder(code).reverse().toString();
		assertEquals(Integer.parseInt(reversed, 2), codes[symbol]);
	}
}
