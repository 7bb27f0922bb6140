package io.github.unet3p.core.volume.png;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** The PNG container: the signature, chunk types, and chunks framed with their length and CRC. */
final class PngChunks {

	static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	static final int IHDR = type("IHDR"), PLTE = type("PLTE"), IDAT = type("IDAT"), IEND = type("IEND");

	private PngChunks() {}

	static boolean startsWithSignature(final byte[] png) {
		for (int i = 0; i < SIGNATURE.length; i++)
			if (png[i] != SIGNATURE[i]) return false;
		return true;
	}

	static void chunk(final ByteArrayOutputStream out, final int type, final byte[] data, final int off, final int len) {
		final byte[] head = new byte[8];
		putInt(head, 0, len);
		putInt(head, 4, type);
		out.write(head, 0, 8);
		out.write(data, off, len);
		final CRC32 crc = new CRC32();
		crc.update(head, 4, 4);
		crc.update(data, off, len);
		final byte[] tail = new byte[4];
		putInt(tail, 0, (int) crc.getValue());
		out.write(tail, 0, 4);
	}

	static int type(final String name) {
		final byte[] b = name.getBytes(StandardCharsets.US_ASCII);
		return getInt(b, 0);
	}

	static String typeName(final int type) {
		final StringBuilder s = new StringBuilder(4);
		for (int shift = 24; shift >= 0; shift -= 8) {
			final int c = type >>> shift & 0xff;
			s.append(c >= 32 && c < 127 ? (char) c : '?');
		}
		return s.toString();
	}

	static int getInt(final byte[] b, final int at) {
		return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
	}

	static void putInt(final byte[] b, final int at, final int v) {
		b[at] = (byte) (v >>> 24);
		b[at + 1] = (byte) (v >>> 16);
		b[at + 2] = (byte) (v >>> 8);
		b[at + 3] = (byte) v;
	}
}
