package io.github.unet3p.core.volume.png;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.SliceImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Reads and writes PNG files as {@link SliceImage}s, with the JDK's zlib only (no AWT/ImageIO).
 *
 * <p>Writing produces 8-bit gray or 8-bit RGB, non-interlaced, every row Sub-filtered and
 * compressed with runs and Huffman codes only ({@link RunLengthDeflate}), as OpenCV writes PNGs by
 * default. Reading accepts every non-interlaced PNG of the standard: gray
 * (1/2/4/8/16 bits), gray + alpha, RGB, RGBA (8/16 bits) and palette (1/2/4/8 bits), with all five
 * filter types, so the PNGs of OpenCV, PIL and ImageJ load. Alpha is dropped; a palette whose
 * entries are all gray gives a gray image, any other palette an RGB image; gray below 8 bits is
 * scaled to 0…255 as libpng does.
 *
 * <p>NB: 16-bit samples keep their value when every colour sample of the image fits in 0…255
 * (label images saved as 16 bit stay 0/1/2); otherwise each sample is reduced to its high byte,
 * as OpenCV's 8-bit {@code imread} does.
 */
public final class PngCodec {

	private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	private static final int IHDR = type("IHDR"), PLTE = type("PLTE"), IDAT = type("IDAT"), IEND = type("IEND");
	private static final int IDAT_CHUNK = 1 << 16;

	private PngCodec() {}

	/** Writes {@code image} to {@code file} as PNG, atomically; parent folders are created. */
	public static void write(final Path file, final SliceImage image) throws IOException {
		final byte[] png = encode(image);
		AtomicFiles.write(file, png);
	}

	/** The PNG file content of {@code image} (8-bit gray or RGB, non-interlaced). */
	public static byte[] encode(final SliceImage image) {
		final byte[] scanlines = scanlines(image);
		return container(image, RunLengthDeflate.compress(scanlines, 0, scanlines.length));
	}

	/**
	 * The PNG file content of {@code image} compressed by the JDK's zlib at deflate level
	 * {@code level} (0 to 9) instead of runs only: smaller files at levels above 1, for more time.
	 */
	public static byte[] encode(final SliceImage image, final int level) {
		if (level < 0 || level > 9) throw new IllegalArgumentException("deflate level must be 0 to 9, not " + level);
		final byte[] scanlines = scanlines(image);
		final Deflater deflater = new Deflater(level);
		try {
			deflater.setInput(scanlines);
			deflater.finish();
			// NB: one call into zlib for the whole image; the buffer grows only for incompressible data
			byte[] buf = new byte[scanlines.length / 2 + 1024];
			int fill = 0;
			while (!deflater.finished()) {
				if (fill == buf.length) buf = Arrays.copyOf(buf, buf.length + buf.length / 2 + 1024);
				fill += deflater.deflate(buf, fill, buf.length - fill);
			}
			return container(image, Arrays.copyOf(buf, fill));
		}
		finally {
			deflater.end();
		}
	}

	private static byte[] scanlines(final SliceImage image) {
		final int ch = image.channels();
		return subFiltered(image.samplesUnsafe(), image.width() * ch, image.height(), ch);
	}

	/** The PNG file of {@code image}'s size and colour type around the zlib stream {@code zdata}. */
	private static byte[] container(final SliceImage image, final byte[] zdata) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(zdata.length + zdata.length / IDAT_CHUNK * 12 + 64);
		out.writeBytes(SIGNATURE);
		final byte[] ihdr = new byte[13];
		putInt(ihdr, 0, image.width());
		putInt(ihdr, 4, image.height());
		ihdr[8] = 8;
		ihdr[9] = (byte) (image.channels() == 1 ? 0 : 2);
		chunk(out, IHDR, ihdr, 0, ihdr.length);
		for (int at = 0; at < zdata.length; at += IDAT_CHUNK)
			chunk(out, IDAT, zdata, at, Math.min(IDAT_CHUNK, zdata.length - at));
		chunk(out, IEND, new byte[0], 0, 0);
		return out.toByteArray();
	}

	/**
	 * The PNG scanlines of {@code px} ({@code h} rows of {@code rowBytes}, {@code bpp} bytes per
	 * pixel), every row with filter type 1 (Sub): a type byte, then each byte minus the byte one
	 * pixel to its left (0 left of the first pixel).
	 *
	 * <p>NB: one fixed filter, as OpenCV's {@code imwrite} uses by default, instead of libpng's
	 * per-row minimum-sum choice among all five: the choice took about as long as compressing on CT
	 * slices, for files 0–10% smaller (measured in {@code src/bench/README.md}).
	 */
	static byte[] subFiltered(final byte[] px, final int rowBytes, final int h, final int bpp) {
		final byte[] out = new byte[h * (rowBytes + 1)];
		for (int y = 0; y < h; y++) {
			final int s = y * rowBytes, t = y * (rowBytes + 1) + 1;
			out[t - 1] = 1;
			System.arraycopy(px, s, out, t, Math.min(bpp, rowBytes));
			for (int i = bpp; i < rowBytes; i++)
				out[t + i] = (byte) (px[s + i] - px[s + i - bpp]);
		}
		return out;
	}

	private static int paeth(final int a, final int b, final int c) {
		final int p = a + b - c;
		final int pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
		if (pa <= pb && pa <= pc) return a;
		return pb <= pc ? b : c;
	}

	/**
	 * Reads the PNG {@code file}.
	 *
	 * @throws InvalidInputException if the file is missing, not a PNG, truncated, corrupt
	 *             (CRC or zlib errors), interlaced or too large
	 */
	public static SliceImage read(final Path file) throws IOException {
		final byte[] bytes;
		try {
			final long size = Files.size(file);
			if (size > Integer.MAX_VALUE - 8) throw new InvalidInputException(file + ": a PNG of " + size + " bytes is too large to read");
			bytes = Files.readAllBytes(file);
		}
		catch (final NoSuchFileException e) {
			throw new InvalidInputException(file + ": no such file (expected a PNG image)", e);
		}
		return decode(bytes, file.toString());
	}

	/**
	 * Decodes PNG file content; {@code name} names the source in error messages.
	 *
	 * @throws InvalidInputException if the bytes are not a readable PNG (see {@link #read(Path)})
	 */
	public static SliceImage decode(final byte[] png, final String name) {
		if (png.length < SIGNATURE.length || !startsWithSignature(png))
			throw new InvalidInputException(name + ": not a PNG file (the PNG signature is missing)");
		int pos = SIGNATURE.length;
		Header header = null;
		byte[] palette = null;
		final ByteArrayOutputStream idat = new ByteArrayOutputStream();
		boolean ended = false;
		boolean first = true;
		while (!ended) {
			if (pos + 8 > png.length) throw truncated(name);
			final long length = getInt(png, pos) & 0xffffffffL;
			final int type = getInt(png, pos + 4);
			if (length > png.length - pos - 12L) throw truncated(name);
			final int data = pos + 8, len = (int) length;
			final CRC32 crc = new CRC32();
			crc.update(png, pos + 4, 4 + len);
			if ((int) crc.getValue() != getInt(png, data + len))
				throw new InvalidInputException(name + ": corrupt PNG (CRC mismatch in chunk " + typeName(type) + ")");
			if (first && type != IHDR) throw new InvalidInputException(name + ": corrupt PNG (the first chunk is " + typeName(type) + ", not IHDR)");
			first = false;
			if (type == IHDR) {
				if (header != null) throw new InvalidInputException(name + ": corrupt PNG (two IHDR chunks)");
				header = Header.parse(png, data, len, name);
			}
			else if (type == PLTE) {
				if (len % 3 != 0 || len == 0 || len > 768) throw new InvalidInputException(name + ": corrupt PNG (PLTE of " + len + " bytes)");
				palette = new byte[len];
				System.arraycopy(png, data, palette, 0, len);
			}
			else if (type == IDAT) idat.write(png, data, len);
			else if (type == IEND) ended = true;
			else if ((png[pos + 4] & 0x20) == 0)
				throw new InvalidInputException(name + ": unsupported PNG (unknown critical chunk " + typeName(type) + ")");
			pos = data + len + 4;
		}
		if (idat.size() == 0) throw new InvalidInputException(name + ": corrupt PNG (no image data)");
		if (header.colorType == 3 && palette == null) throw new InvalidInputException(name + ": corrupt PNG (palette image without PLTE)");
		return new Decoder(header, palette, name).decode(idat.toByteArray());
	}

	private static boolean startsWithSignature(final byte[] png) {
		for (int i = 0; i < SIGNATURE.length; i++)
			if (png[i] != SIGNATURE[i]) return false;
		return true;
	}

	private static InvalidInputException truncated(final String name) {
		return new InvalidInputException(name + ": truncated PNG (the file ends before its image is complete)");
	}

	/** The IHDR fields. */
	private static final class Header {

		final int width, height, bitDepth, colorType, samplesPerPixel;

		private Header(final int width, final int height, final int bitDepth, final int colorType, final int samplesPerPixel) {
			this.width = width;
			this.height = height;
			this.bitDepth = bitDepth;
			this.colorType = colorType;
			this.samplesPerPixel = samplesPerPixel;
		}

		static Header parse(final byte[] png, final int at, final int len, final String name) {
			if (len != 13) throw new InvalidInputException(name + ": corrupt PNG (IHDR of " + len + " bytes, expected 13)");
			final long w = getInt(png, at) & 0xffffffffL, h = getInt(png, at + 4) & 0xffffffffL;
			final int depth = png[at + 8], color = png[at + 9];
			if (w == 0 || h == 0) throw new InvalidInputException(name + ": corrupt PNG (size " + w + "×" + h + ")");
			final int spp;
			switch (color) {
			case 0: spp = 1; break;
			case 2: spp = 3; break;
			case 3: spp = 1; break;
			case 4: spp = 2; break;
			case 6: spp = 4; break;
			default: throw new InvalidInputException(name + ": corrupt PNG (colour type " + color + ")");
			}
			final boolean depthOk = color == 0 ? depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
					: color == 3 ? depth == 1 || depth == 2 || depth == 4 || depth == 8 : depth == 8 || depth == 16;
			if (!depthOk) throw new InvalidInputException(name + ": corrupt PNG (bit depth " + depth + " with colour type " + color + ")");
			if (png[at + 10] != 0 || png[at + 11] != 0)
				throw new InvalidInputException(name + ": unsupported PNG (compression or filter method is not 0)");
			if (png[at + 12] == 1)
				throw new InvalidInputException(name + ": Adam7-interlaced PNG is not supported; save it without interlacing");
			if (png[at + 12] != 0) throw new InvalidInputException(name + ": corrupt PNG (interlace method " + png[at + 12] + ")");
			if (w > SliceImage.MAX_SAMPLES || h > SliceImage.MAX_SAMPLES || w * h * 3 > SliceImage.MAX_SAMPLES)
				throw new InvalidInputException(name + ": PNG of " + w + "×" + h + " pixels is larger than this reader accepts ("
						+ SliceImage.MAX_SAMPLES / 3 + " pixels)");
			return new Header((int) w, (int) h, depth, color, spp);
		}
	}

	/** Inflates, unfilters and converts the image data row by row. */
	private static final class Decoder {

		private final Header h;
		private final byte[] palette;
		private final String name;
		private final int outChannels;

		Decoder(final Header header, final byte[] palette, final String name) {
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
	}

	private static void chunk(final ByteArrayOutputStream out, final int type, final byte[] data, final int off, final int len) {
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

	private static int type(final String name) {
		final byte[] b = name.getBytes(StandardCharsets.US_ASCII);
		return getInt(b, 0);
	}

	private static String typeName(final int type) {
		final StringBuilder s = new StringBuilder(4);
		for (int shift = 24; shift >= 0; shift -= 8) {
			final int c = type >>> shift & 0xff;
			s.append(c >= 32 && c < 127 ? (char) c : '?');
		}
		return s.toString();
	}

	private static int getInt(final byte[] b, final int at) {
		return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
	}

	private static void putInt(final byte[] b, final int at, final int v) {
		b[at] = (byte) (v >>> 24);
		b[at + 1] = (byte) (v >>> 16);
		b[at + 2] = (byte) (v >>> 8);
		b[at + 3] = (byte) v;
	}
}
