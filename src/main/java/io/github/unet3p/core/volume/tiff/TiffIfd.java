package io.github.unet3p.core.volume.tiff;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** One image file directory of a {@link TiffFile}: its tags' raw values and typed reads of them. */
final class TiffIfd {

	/** A raw tag value. */
	record Entry(int type, int count, ByteBuffer value) {}

	private final TiffFile file;
	final Map<Integer, Entry> entries = new HashMap<>();
	/** Offset of the next directory, 0 after the last. */
	long next;

	TiffIfd(final TiffFile file) {
		this.file = file;
	}

	boolean has(final int tag) {
		return entries.containsKey(tag) && entries.get(tag).count > 0;
	}

	int integer(final int tag, final int fallback) {
		if (!has(tag)) return fallback;
		final long v = longs(tag)[0];
		return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
	}

	long[] longs(final int tag) {
		final Entry e = entries.get(tag);
		final long[] out = new long[e.count];
		for (int n = 0; n < e.count; n++) {
			switch (e.type) {
				case 1: case 2: case 7: out[n] = e.value.get(n) & 0xFF; break;
				case 6: out[n] = e.value.get(n); break;
				case 3: out[n] = e.value.getShort(2 * n) & 0xFFFF; break;
				case 8: out[n] = e.value.getShort(2 * n); break;
				case 4: out[n] = e.value.getInt(4 * n) & 0xFFFFFFFFL; break;
				case 9: out[n] = e.value.getInt(4 * n); break;
				default: throw file.bad("has tag " + tag + " of type " + e.type + " where an integer was expected");
			}
		}
		return out;
	}

	double real(final int tag) {
		final Entry e = entries.get(tag);
		switch (e.type) {
			case 5: return (e.value.getInt(0) & 0xFFFFFFFFL) / (double) (e.value.getInt(4) & 0xFFFFFFFFL);
			case 10: return e.value.getInt(0) / (double) e.value.getInt(4);
			case 11: return e.value.getFloat(0);
			case 12: return e.value.getDouble(0);
			default: return longs(tag)[0];
		}
	}

	String ascii(final int tag) {
		final Entry e = entries.get(tag);
		if (e == null || e.type != 2) return null;
		final byte[] b = new byte[e.count];
		e.value.duplicate().position(0).get(b);
		int len = 0;
		while (len < b.length && b[len] != 0)
			len++;
		return new String(b, 0, len, StandardCharsets.ISO_8859_1);
	}
}
