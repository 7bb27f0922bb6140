package io.github.unet3p.core.volume.tiff;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds small TIFF files byte by byte for tests, in either byte order: each page is a set of tags
 * plus its chunks (strips or tiles) of already-encoded data; the builder lays out directories,
 * out-of-line values and chunk data and fills in the chunk offsets and byte counts.
 */
final class TinyTiff {

	static final int SHORT = 3, LONG = 4, RATIONAL = 5, ASCII = 2;

	private final ByteOrder order;
	private final List<Page> pages = new ArrayList<>();

	TinyTiff(final ByteOrder order) {
		this.order = order;
	}

	/** Starts a page; chunks are stored under tags 273/279 (strips) or 324/325 (tiles, if {@code tiled}). */
	Page page(final boolean tiled) {
		final Page p = new Page(tiled);
		pages.add(p);
		return p;
	}

	byte[] bytes() {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		final ByteBuffer head = ByteBuffer.allocate(8).order(order);
		head.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M')).put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
		head.putShort((short) 42).putInt(8);
		out.writeBytes(head.array());
		long position = 8;
		for (int n = 0; n < pages.size(); n++) {
			final Page p = pages.get(n);
			final int[] counts = new int[p.chunks.size()];
			for (int c = 0; c < counts.length; c++)
				counts[c] = p.chunks.get(c).length;
			p.tags.put(p.tiled ? 325 : 279, new Tag(LONG, counts.length, ints(counts)));
			p.tags.put(p.tiled ? 324 : 273, new Tag(LONG, counts.length, new byte[4 * counts.length]));
			final int entries = p.tags.size();
			long cursor = position + 2 + 12L * entries + 4;
			final Map<Integer, Long> at = new TreeMap<>();
			for (final Map.Entry<Integer, Tag> e : p.tags.entrySet())
				if (e.getValue().value.length > 4) {
					at.put(e.getKey(), cursor);
					cursor += e.getValue().value.length + (e.getValue().value.length & 1);
				}
			final int[] offsets = new int[counts.length];
			for (int c = 0; c < counts.length; c++) {
				offsets[c] = (int) cursor;
				cursor += counts[c];
			}
			p.tags.put(p.tiled ? 324 : 273, new Tag(LONG, counts.length, ints(offsets)));
			cursor += cursor & 1;
			final long next = p.nextOverride >= 0 ? p.nextOverride : n + 1 < pages.size() ? cursor : 0;
			final ByteBuffer dir = ByteBuffer.allocate(2 + 12 * entries + 4).order(order);
			dir.putShort((short) entries);
			for (final Map.Entry<Integer, Tag> e : p.tags.entrySet()) {
				final Tag t = e.getValue();
				dir.putShort((short) (int) e.getKey()).putShort((short) t.type).putInt(t.count);
				if (t.value.length <= 4) {
					final byte[] four = new byte[4];
					System.arraycopy(t.value, 0, four, 0, t.value.length);
					dir.put(four);
				}
				else dir.putInt((int) (long) at.get(e.getKey()));
			}
			dir.putInt((int) next);
			out.writeBytes(dir.array());
			for (final Map.Entry<Integer, Tag> e : p.tags.entrySet())
				if (e.getValue().value.length > 4) {
					out.writeBytes(e.getValue().value);
					if ((e.getValue().value.length & 1) == 1) out.write(0);
				}
			for (final byte[] c : p.chunks)
				out.writeBytes(c);
			while (out.size() < cursor)
				out.write(0);
			position = cursor;
		}
		return out.toByteArray();
	}

	byte[] ints(final int... v) {
		final ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
		for (final int x : v)
			b.putInt(x);
		return b.array();
	}

	byte[] shorts(final int... v) {
		final ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(order);
		for (final int x : v)
			b.putShort((short) x);
		return b.array();
	}

	/** Samples in this file's byte order. */
	byte[] samples16(final int... v) {
		return shorts(v);
	}

	private record Tag(int type, int count, byte[] value) {}

	/** One page under construction. */
	final class Page {

		final boolean tiled;
		final Map<Integer, Tag> tags = new TreeMap<>();
		final List<byte[]> chunks = new ArrayList<>();
		long nextOverride = -1;

		Page(final boolean tiled) {
			this.tiled = tiled;
		}

		/** A SHORT tag (LONG if any value exceeds 65535). */
		Page tag(final int tag, final int... values) {
			boolean big = false;
			for (final int v : values)
				big |= v > 0xFFFF || v < 0;
			tags.put(tag, big ? new Tag(LONG, values.length, ints(values)) : new Tag(SHORT, values.length, shorts(values)));
			return this;
		}

		Page ascii(final int tag, final String text) {
			final byte[] b = (text + "\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
			tags.put(tag, new Tag(ASCII, b.length, b));
			return this;
		}

		Page rational(final int tag, final int numerator, final int denominator) {
			tags.put(tag, new Tag(RATIONAL, 1, ints(numerator, denominator)));
			return this;
		}

		/** A grey page of {@code width × height}, {@code bits} per sample, given compression. */
		Page grey(final int width, final int height, final int bits, final int format, final int compression) {
			return tag(256, width).tag(257, height).tag(258, bits).tag(259, compression).tag(262, 1).tag(277, 1).tag(339, format);
		}

		Page chunk(final byte[] data) {
			chunks.add(data);
			return this;
		}

		/** Makes this page's "next directory" offset point at {@code offset} (for broken files). */
		Page next(final long offset) {
			nextOverride = offset;
			return this;
		}
	}
}
