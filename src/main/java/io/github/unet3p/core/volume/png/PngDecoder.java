package io.github.unet3p.core.volume.png;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.SliceImage;

/** Inflates, unfilters and converts a PNG's image data row by row. */
final class PngDecoder {

	private final PngHeader h;
	private final byte[] palette;
	private final String name;
	private final int outChannels;

	PngDecoder(final PngHeader header, final byte[] palette, final String name) {
		this.h = header;
		this.palette = palette;
		this.name = name;
		this.outChannels = header.colorType == 2 || header.colorType == 6 || header.colorType == 3 && !grayPalette(palette) ? 3 : 1;
	}

	SliceImage decode(final byte[] zdata) {
		final int bitsPerPixel = h.samplesPerPixel * h.bitDepth;
		final int bpp = Math.max(1, bitsPerPixel / 8);
		final long rowBytesL = ((long) h.width * bitsPerPixel + 7) / 8;
		if (rowBytesL > Integer.MAX_VALUE - 16) throw new InvalidInputException(name + ": PNG rows are too long to read");
		final int rowBytes = (int) rowBytesL;
		byte[] prev = new byte[rowBytes], cur = new byte[rowBytes];
		final byte[] filter = new byte[1];
		final int n = h.width * h.height * outChannels;
		final byte[] out8 = new byte[n];
		final char[] out16 = h.bitDepth == 16 ? new char[n] : null;
		final Inflater inflater = new Inflater();
		try {
			inflater.setInput(zdata);
			for (int y = 0; y < h.height; y++) {
				inflateFully(inflater, filter, 1);
				inflateFully(inflater, cur, rowBytes);
				unfilter(filter[0] & 0xff, cur, prev, bpp, y);
				convertRow(cur, y, out8, out16);
				final byte[] t = prev;
				prev = cur;
				cur = t;
			}
		}
		finally {
			inflater.end();
		}
		if (out16 != null) narrow(out16, out8);
		return SliceImage.wrap(h.width, h.height, outChannels, out8);
	}

	private void inflateFully(final Inflater inflater, final byte[] into, final int len) {
		int done = 0;
		try {
			while (done < len) {
				final int got = inflater.inflate(into, done, len - done);
				done += got;
				if (got == 0 && done < len) {
					if (inflater.needsDictionary()) throw new InvalidInputException(name + ": corrupt PNG (zlib stream needs a preset dictionary)");
					if (inflater.needsInput() || inflater.finished()) throw truncated(name);
				}
			}
		}
		catch (final DataFormatException e) {
			throw new InvalidInputException(name + ": corrupt PNG (bad compressed data: " + e.getMessage() + ")", e);
		}
	}

	private void unfilter(final int type, final byte[] cur, final byte[] prev, final int bpp, final int y) {
		final int n = cur.length;
		final boolean top = y == 0;
		switch (type) {
		case 0:
			break;
		case 1:
			for (int i = bpp; i < n; i++)
				cur[i] += cur[i - bpp];
			break;
		case 2:
			if (!top) for (int i = 0; i < n; i++)
				cur[i] += prev[i];
			break;
		case 3:
			for (int i = 0; i < n; i++) {
				final int a = i >= bpp ? cur[i - bpp] & 0xff : 0;
				final int b = top ? 0 : prev[i] & 0xff;
				cur[i] += (byte) ((a + b) >>> 1);
			}
			break;
		case 4:
			for (int i = 0; i < n; i++) {
				final int a = i >= bpp ? cur[i - bpp] & 0xff : 0;
				final int b = top ? 0 : prev[i] & 0xff;
				final int c = !top && i >= bpp ? prev[i - bpp] & 0xff : 0;
				cur[i] += (byte) paeth(a, b, c);
			}
			break;
		default:
			throw new InvalidInputException(name + ": corrupt PNG (row " + y + " has filter type " + type + ", expected 0 to 4)");
		}
	}

	private void convertRow(final byte[] row, final int y, final byte[] out8, final char[] out16) {
		final int w = h.width, spp = h.samplesPerPixel, depth = h.bitDepth;
		int o = y * w * outChannels;
		if (depth == 16) {
			final int colour = h.colorType == 0 || h.colorType == 4 ? 1 : 3;
			for (int x = 0; x < w; x++) {
				final int base = x * spp * 2;
				for (int c = 0; c < colour; c++)
					out16[o++] = (char) ((row[base + 2 * c] & 0xff) << 8 | row[base + 2 * c + 1] & 0xff);
			}
			return;
		}
		if (depth == 8) {
			switch (h.colorType) {
			case 0:
				System.arraycopy(row, 0, out8, o, w);
				return;
			case 2:
				System.arraycopy(row, 0, out8, o, 3 * w);
				return;
			case 4:
			case 6:
				final int colour = h.colorType == 4 ? 1 : 3;
				for (int x = 0; x < w; x++)
					for (int c = 0; c < colour; c++)
						out8[o++] = row[x * spp + c];
				return;
			default:
				break;
			}
		}
		final int mask = (1 << depth) - 1;
		for (int x = 0; x < w; x++) {
			final int bit = x * depth;
			final int v = (row[bit >>> 3] & 0xff) >>> (8 - depth - (bit & 7)) & mask;
			if (h.colorType == 0) out8[o++] = (byte) (v * 255 / mask);
			else {
				if (3 * v + 2 >= palette.length)
					throw new InvalidInputException(name + ": corrupt PNG (palette index " + v + " beyond its " + palette.length / 3 + " entries)");
				if (outChannels == 1) out8[o++] = palette[3 * v];
				else {
					out8[o++] = palette[3 * v];
					out8[o++] = palette[3 * v + 1];
					out8[o++] = palette[3 * v + 2];
				}
			}
		}
	}

	private static void narrow(final char[] in, final byte[] out) {
		int max = 0;
		for (final char v : in)
			max = Math.max(max, v);
		final int shift = max <= 255 ? 0 : 8;
		for (int i = 0; i < in.length; i++)
			out[i] = (byte) (in[i] >>> shift);
	}

	private static boolean grayPalette(final byte[] palette) {
		if (palette == null) return true;
		for (int i = 0; i < palette.length; i += 3)
			if (palette[i] != palette[i + 1] || palette[i] != palette[i + 2]) return false;
		return true;
	}

	private static int paeth(final int a, final int b, final int c) {
		final int p = a + b - c;
		final int pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
		if (pa <= pb && pa <= pc) return a;
		return pb <= pc ? b : c;
	}

	/** The message for a PNG that ends before its image is complete. */
	static InvalidInputException truncated(final String name) {
		return new InvalidInputException(name + ": truncated PNG (the file ends before its image is complete)");
	}
}
