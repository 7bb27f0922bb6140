package io.github.unet3p.core.volume.tiff;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * A tiny TIFF LZW encoder for tests: codes MSB-first, starting with a clear code, 9 bits growing to
 * 12 when the next free code reaches 512, 1024, 2048 (the decoder, one entry behind, switches at
 * 511, 1023, 2047), and a clear code whenever the table reaches 4094 entries.
 */
public final class TestLzw {

	private TestLzw() {}

	public static byte[] encode(final byte[] data) {
		final Bits out = new Bits();
		Map<String, Integer> table = fresh();
		int next = 258, width = 9;
		out.put(256, width);
		String w = "";
		for (final byte b : data) {
			final String wc = w + (char) (b & 0xFF);
			if (table.containsKey(wc)) {
				w = wc;
				continue;
			}
			out.put(table.get(w), width);
			table.put(wc, next++);
			if (next >= (1 << width) && width < 12) width++;
			if (next == 4094) {
				out.put(256, width);
				table = fresh();
				next = 258;
				width = 9;
			}
			w = String.valueOf((char) (b & 0xFF));
		}
		if (!w.isEmpty()) {
			out.put(table.get(w), width);
			next++;
			if (next >= (1 << width) && width < 12) width++;
		}
		out.put(257, width);
		return out.bytes();
	}

	private static Map<String, Integer> fresh() {
		final Map<String, Integer> t = new HashMap<>();
		for (int c = 0; c < 256; c++)
			t.put(String.valueOf((char) c), c);
		return t;
	}

	/** An MSB-first bit writer. */
	static final class Bits {

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();
		private long buffer;
		private int count;

		void put(final int code, final int width) {
			buffer = (buffer << width) | code;
			count += width;
			while (count >= 8) {
				out.write((int) (buffer >>> (count - 8)) & 0xFF);
				count -= 8;
			}
		}

		byte[] bytes() {
			if (count > 0) out.write((int) (buffer << (8 - count)) & 0xFF);
			count = 0;
			return out.toByteArray();
		}
	}
}
