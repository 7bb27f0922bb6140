package io.github.unet3p.core.volume.tiff;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The TIFF compression schemes the codec knows: their codes, names, and the decoders for
 * PackBits, LZW and Deflate plus the Deflate encoder. Decoders fill exactly the expected number of
 * bytes and report how many they produced, so a short (truncated) strip is detected by the caller.
 */
final class TiffCompression {

	static final int NONE = 1;
	static final int LZW = 5;
	static final int ADOBE_DEFLATE = 8;
	static final int PACKBITS = 32773;
	static final int DEFLATE = 32946;

	private TiffCompression() {}

	/** Whether the codec can decode {@code code}. */
	static boolean isSupported(final int code) {
		return code == NONE || code == LZW || code == ADOBE_DEFLATE || code == PACKBITS || code == DEFLATE;
	}

	/** A name for messages. */
	static String name(final int code) {
		switch (code) {
			case NONE: return "none";
			case 2: return "CCITT modified Huffman";
			case 3: return "CCITT T.4 (fax)";
			case 4: return "CCITT T.6 (fax)";
			case LZW: return "LZW";
			case 6: return "old-style JPEG";
			case 7: return "JPEG";
			case ADOBE_DEFLATE: return "Deflate (Adobe)";
			case 34712: return "JPEG 2000";
			case PACKBITS: return "PackBits";
			case DEFLATE: return "Deflate";
			case 34925: return "LZMA";
			case 50000: return "Zstandard";
			case 50001: return "WebP";
			default: return "unknown";
		}
	}

	/**
	 * Decodes {@code in} with scheme {@code code} into {@code out} (its length is the expected size).
	 *
	 * @return the number of bytes produced (less than {@code out.length} for short data)
	 * @throws DataFormatException when the data is not valid for the scheme
	 */
	static int decode(final int code, final byte[] in, final byte[] out) throws DataFormatException {
		switch (code) {
			case NONE:
				final int n = Math.min(in.length, out.length);
				System.arraycopy(in, 0, out, 0, n);
				return n;
			case PACKBITS:
				return unpackBits(in, out);
			case LZW:
				return lzw(in, out);
			case ADOBE_DEFLATE:
			case DEFLATE:
				return inflate(in, out);
			default:
				throw new IllegalArgumentException("unsupported compression " + code);
		}
	}

	/** PackBits (Apple): a header byte n ≥ 0 copies n + 1 literal bytes, −127…−1 repeats one byte 1 − n times, −128 is a no-op. */
	static int unpackBits(final byte[] in, final byte[] out) {
		int ip = 0, op = 0;
		while (ip < in.length && op < out.length) {
			final int n = in[ip++];
			if (n >= 0) {
				final int count = Math.min(n + 1, Math.min(in.length - ip, out.length - op));
				System.arraycopy(in, ip, out, op, count);
				ip += n + 1;
				op += count;
			}
			else if (n != -128) {
				if (ip >= in.length) break;
				final byte b = in[ip++];
				final int count = Math.min(1 - n, out.length - op);
				for (int k = 0; k < count; k++)
					out[op++] = b;
			}
		}
		return op;
	}

	/**
	 * TIFF LZW: MSB-first codes of 9 to 12 bits, 256 = clear, 257 = end; the code width grows one
	 * code early (when the next free code reaches 511, 1023, 2047), as TIFF 6.0 specifies.
	 */
	static int lzw(final byte[] in, final byte[] out) throws DataFormatException {
		final int[] prefix = new int[4096];
		final byte[] suffix = new byte[4096];
		final byte[] first = new byte[4096];
		final int[] length = new int[4096];
		for (int c = 0; c < 256; c++) {
			suffix[c] = (byte) c;
			first[c] = (byte) c;
			length[c] = 1;
			prefix[c] = -1;
		}
		final byte[] stack = new byte[4096];
		int next = 258, width = 9, previous = -1;
		long bitBuffer = 0;
		int bits = 0, ip = 0, op = 0;
		while (op < out.length) {
			while (bits < width && ip < in.length) {
				bitBuffer = (bitBuffer << 8) | (in[ip++] & 0xFF);
				bits += 8;
			}
			if (bits < width) break;
			final int code = (int) ((bitBuffer >>> (bits - width)) & ((1 << width) - 1));
			bits -= width;
			if (code == 257) break;
			if (code == 256) {
				next = 258;
				width = 9;
				previous = -1;
				continue;
			}
			final int entry;
			if (previous < 0) {
				if (code > 255) throw new DataFormatException("LZW data starts with code " + code + " after a clear code");
				entry = code;
			}
			else if (code < next) {
				entry = code;
				if (next < 4096) add(prefix, suffix, first, length, next++, previous, first[code]);
			}
			else if (code == next && next < 4096) {
				add(prefix, suffix, first, length, next++, previous, first[previous]);
				entry = code;
			}
			else throw new DataFormatException("LZW code " + code + " is not yet defined (next free code " + next + ")");
			// write the string of `entry`
			int len = length[entry], c = entry, sp = len;
			while (c >= 0) {
				stack[--sp] = suffix[c];
				c = prefix[c];
			}
			final int count = Math.min(len, out.length - op);
			System.arraycopy(stack, 0, out, op, count);
			op += count;
			previous = entry;
			if (next + 1 >= (1 << width) && width < 12) width++;
		}
		return op;
	}

	private static void add(final int[] prefix, final byte[] suffix, final byte[] first, final int[] length, final int code,
			final int previous, final byte last) {
		prefix[code] = previous;
		suffix[code] = last;
		first[code] = first[previous];
		length[code] = length[previous] + 1;
	}

	/** Inflates a zlib stream (Deflate compression 8 and 32946). */
	static int inflate(final byte[] in, final byte[] out) throws DataFormatException {
		final Inflater inflater = new Inflater();
		try {
			inflater.setInput(in);
			int op = 0;
			while (op < out.length && !inflater.finished()) {
				final int n = inflater.inflate(out, op, out.length - op);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
				op += n;
			}
			return op;
		}
		finally {
			inflater.end();
		}
	}

	/** Deflates {@code in} into a zlib stream. */
	static byte[] deflate(final byte[] in) {
		final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
		try {
			deflater.setInput(in);
			deflater.finish();
			final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(64, in.length / 2));
			final byte[] buf = new byte[65536];
			while (!deflater.finished()) {
				final int n = deflater.deflate(buf);
				out.write(buf, 0, n);
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}
}
