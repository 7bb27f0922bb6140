package io.github.unet3p.core.volume.png;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.SliceImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

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
		out.writeBytes(PngChunks.SIGNATURE);
		final byte[] ihdr = new byte[13];
		PngChunks.putInt(ihdr, 0, image.width());
		PngChunks.putInt(ihdr, 4, image.height());
		ihdr[8] = 8;
		ihdr[9] = (byte) (image.channels() == 1 ? 0 : 2);
		PngChunks.chunk(out, PngChunks.IHDR, ihdr, 0, ihdr.length);
		for (int at = 0; at < zdata.length; at += IDAT_CHUNK)
			PngChunks.chunk(out, PngChunks.IDAT, zdata, at, Math.min(IDAT_CHUNK, zdata.length - at));
		PngChunks.chunk(out, PngChunks.IEND, new byte[0], 0, 0);
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
		if (png.length < PngChunks.SIGNATURE.length || !PngChunks.startsWithSignature(png))
			throw new InvalidInputException(name + ": not a PNG file (the PNG signature is missing)");
		int pos = PngChunks.SIGNATURE.length;
		PngHeader header = null;
		byte[] palette = null;
		final ByteArrayOutputStream idat = new ByteArrayOutputStream();
		boolean ended = false;
		boolean first = true;
		while (!ended) {
			if (pos + 8 > png.length) throw PngDecoder.truncated(name);
			final long length = PngChunks.getInt(png, pos) & 0xffffffffL;
			final int type = PngChunks.getInt(png, pos + 4);
			if (length > png.length - pos - 12L) throw PngDecoder.truncated(name);
			final int data = pos + 8, len = (int) length;
			final CRC32 crc = new CRC32();
			crc.update(png, pos + 4, 4 + len);
			if ((int) crc.getValue() != PngChunks.getInt(png, data + len))
				throw new InvalidInputException(name + ": corrupt PNG (CRC mismatch in chunk " + PngChunks.typeName(type) + ")");
			if (first && type != PngChunks.IHDR) throw new InvalidInputException(name + ": corrupt PNG (the first chunk is " + PngChunks.typeName(type) + ", not PngChunks.IHDR)");
			first = false;
			if (type == PngChunks.IHDR) {
				if (header != null) throw new InvalidInputException(name + ": corrupt PNG (two PngChunks.IHDR chunks)");
				header = PngHeader.parse(png, data, len, name);
			}
			else if (type == PngChunks.PLTE) {
				if (len % 3 != 0 || len == 0 || len > 768) throw new InvalidInputException(name + ": corrupt PNG (PngChunks.PLTE of " + len + " bytes)");
				palette = new byte[len];
				System.arraycopy(png, data, palette, 0, len);
			}
			else if (type == PngChunks.IDAT) idat.write(png, data, len);
			else if (type == PngChunks.IEND) ended = true;
			else if ((png[pos + 4] & 0x20) == 0)
				throw new InvalidInputException(name + ": unsupported PNG (unknown critical chunk " + PngChunks.typeName(type) + ")");
			pos = data + len + 4;
		}
		if (idat.size() == 0) throw new InvalidInputException(name + ": corrupt PNG (no image data)");
		if (header.colorType == 3 && palette == null) throw new InvalidInputException(name + ": corrupt PNG (palette image without PngChunks.PLTE)");
		return new PngDecoder(header, palette, name).decode(idat.toByteArray());
	}
}
