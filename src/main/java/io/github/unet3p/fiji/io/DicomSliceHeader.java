package io.github.unet3p.fiji.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ij.io.FileInfo;
import ij.io.ImageReader;
import ij.plugin.DICOM;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The header of one DICOM file as ImageJ 1.x's DICOM decoder reports it, with typed access to the
 * attributes a CT series needs, and the decoding of its pixel data.
 *
 * <p>NB: top-level attributes are taken from ImageJ's header listing ({@link DICOM#getInfo}); a
 * line of that listing belongs to the top level only when it starts with the tag itself (nested
 * sequence items are prefixed), so an attribute inside a sequence never shadows the image's own.
 * {@code ij.util.DicomTools.getTag} searches the whole listing and could pick a nested one.
 */
final class DicomSliceHeader {

	static final String IMPLICIT_LITTLE = "1.2.840.10008.1.2";
	static final String EXPLICIT_LITTLE = "1.2.840.10008.1.2.1";
	static final String EXPLICIT_BIG = "1.2.840.10008.1.2.2";
	static final String DICOMDIR_CLASS = "1.2.840.10008.1.3.10";

	static final String SOP_CLASS = "0008,0016";
	static final String MODALITY = "0008,0060";
	static final String SLICE_THICKNESS = "0018,0050";
	static final String SPACING_BETWEEN_SLICES = "0018,0088";
	static final String SERIES_UID = "0020,000E";
	static final String POSITION = "0020,0032";
	static final String ORIENTATION = "0020,0037";
	static final String SAMPLES_PER_PIXEL = "0028,0002";
	static final String PHOTOMETRIC = "0028,0004";
	static final String FRAMES = "0028,0008";
	static final String ROWS = "0028,0010";
	static final String COLUMNS = "0028,0011";
	static final String PIXEL_SPACING = "0028,0030";
	static final String BITS_ALLOCATED = "0028,0100";
	static final String BITS_STORED = "0028,0101";
	static final String PIXEL_REPRESENTATION = "0028,0103";
	static final String RESCALE_INTERCEPT = "0028,1052";
	static final String RESCALE_SLOPE = "0028,1053";
	static final String PIXEL_DATA = "7FE0,0010";

	private static final Pattern LINE = Pattern.compile("^([0-9A-Fa-f]{4},[0-9A-Fa-f]{4})\\s+[^:]*?:\\s?(.*)$");

	private final Path file;
	private final String transferSyntax;
	private final String mediaStorageClass;
	private final Map<String, String> tags;

	private DicomSliceHeader(final Path file, final String transferSyntax, final String mediaStorageClass,
			final Map<String, String> tags) {
		this.file = file;
		this.transferSyntax = transferSyntax;
		this.mediaStorageClass = mediaStorageClass;
		this.tags = tags;
	}

	/**
	 * Whether {@code file} is a DICOM Part 10 file ("DICM" after the 128-byte preamble) or carries
	 * the {@code .dcm} extension (old files without preamble, which ImageJ also reads).
	 */
	static boolean isDicomCandidate(final Path file) {
		if (!Files.isRegularFile(file)) return false;
		if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")) return true;
		return hasPreamble(file);
	}

	/** Whether the file has "DICM" at offset 128. */
	static boolean hasPreamble(final Path file) {
		try (FileChannel ch = FileChannel.open(file)) {
			final ByteBuffer b = ByteBuffer.allocate(4);
			while (b.hasRemaining())
				if (ch.read(b, 128 + b.position()) < 0) return false;
			return new String(b.array(), StandardCharsets.US_ASCII).equals("DICM");
		}
		catch (final IOException e) {
			return false;
		}
	}

	/**
	 * Reads the header of {@code file}: the transfer syntax from the file meta information (read
	 * here, because ImageJ stops listing at a syntax it cannot decode) and every top-level attribute
	 * from ImageJ's decoder.
	 */
	static DicomSliceHeader read(final Path file) {
		final String[] meta = readMeta(file);
		final Map<String, String> tags = new HashMap<>();
		final String syntax = meta[0];
		if (syntax == null || isUncompressed(syntax)) {
			final String info = new DICOM().getInfo(file.toString());
			if (info != null) for (final String line : info.split("\n")) {
				final Matcher m = LINE.matcher(line);
				if (m.matches()) tags.putIfAbsent(m.group(1).toUpperCase(Locale.ROOT), m.group(2).trim());
			}
		}
		return new DicomSliceHeader(file, syntax == null ? IMPLICIT_LITTLE : syntax, meta[1], tags);
	}

	/** Whether ImageJ decodes pixel data in this transfer syntax (the three native encodings). */
	static boolean isUncompressed(final String syntax) {
		return syntax.equals(IMPLICIT_LITTLE) || syntax.equals(EXPLICIT_LITTLE) || syntax.equals(EXPLICIT_BIG);
	}

	/** Transfer Syntax UID and Media Storage SOP Class UID from group 0002, or nulls without preamble. */
	private static String[] readMeta(final Path file) {
		final String[] out = new String[2];
		if (!hasPreamble(file)) return out;
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] head = in.readNBytes(132 + 8192);
			final ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
			b.position(132);
			while (b.remaining() >= 8) {
				final int group = b.getShort(b.position()) & 0xFFFF;
				if (group != 0x0002) break;
				final int element = b.getShort(b.position() + 2) & 0xFFFF;
				final String vr = new String(head, b.position() + 4, 2, StandardCharsets.US_ASCII);
				final long length;
				final int valueStart;
				if (vr.equals("OB") || vr.equals("OW") || vr.equals("OF") || vr.equals("SQ") || vr.equals("UT") || vr.equals("UN")) {
					if (b.remaining() < 12) break;
					length = b.getInt(b.position() + 8) & 0xFFFFFFFFL;
					valueStart = b.position() + 12;
				}
				else {
					length = b.getShort(b.position() + 6) & 0xFFFF;
					valueStart = b.position() + 8;
				}
				if (valueStart + length > head.length) break;
				final String value = new String(head, valueStart, (int) length, StandardCharsets.US_ASCII).replace("\0", "").trim();
				if (element == 0x0010) out[0] = value;
				if (element == 0x0002) out[1] = value;
				b.position((int) (valueStart + length));
			}
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read DICOM file " + file + ": " + e.getMessage(), e);
		}
		return out;
	}

	Path file() {
		return file;
	}

	String transferSyntax() {
		return transferSyntax;
	}

	/** Whether this is a DICOMDIR index rather than an image. */
	boolean isDicomDir() {
		return DICOMDIR_CLASS.equals(mediaStorageClass) || file.getFileName().toString().equalsIgnoreCase("DICOMDIR");
	}

	/** The trimmed value of a top-level attribute ("gggg,eeee"), or null when absent or empty. */
	String get(final String tag) {
		final String v = tags.get(tag);
		return v == null || v.isEmpty() ? null : v;
	}

	boolean has(final String tag) {
		return get(tag) != null;
	}

	/** An integer attribute, or {@code fallback} when absent. */
	int integer(final String tag, final int fallback) {
		final String v = get(tag);
		if (v == null) return fallback;
		try {
			return (int) Math.round(Double.parseDouble(v.split("\\\\")[0].trim()));
		}
		catch (final NumberFormatException e) {
			throw new InvalidInputException("DICOM file " + file + " has an unreadable " + name(tag) + ": '" + v + "' (expected a number)");
		}
	}

	/** A decimal-string attribute with exactly {@code count} values, or null when absent. */
	double[] decimals(final String tag, final int count) {
		final String v = get(tag);
		if (v == null) return null;
		final String[] parts = v.split("\\\\");
		if (parts.length != count)
			throw new InvalidInputException("DICOM file " + file + " has " + parts.length + " values in " + name(tag) + " ('" + v + "'); expected " + count);
		final double[] out = new double[count];
		for (int n = 0; n < count; n++) {
			try {
				out[n] = Double.parseDouble(parts[n].trim());
			}
			catch (final NumberFormatException e) {
				throw new InvalidInputException("DICOM file " + file + " has an unreadable " + name(tag) + ": '" + v + "' (expected numbers)");
			}
			if (!Double.isFinite(out[n]))
				throw new InvalidInputException("DICOM file " + file + " has a non-finite " + name(tag) + ": '" + v + "'");
		}
		return out;
	}

	/** A single decimal attribute, or {@code fallback} when absent. */
	double decimal(final String tag, final double fallback) {
		final double[] v = has(tag) ? decimals(tag, get(tag).split("\\\\").length) : null;
		return v == null ? fallback : v[0];
	}

	/** The name ImageJ's dictionary gives a tag, with the tag, for messages. */
	static String name(final String tag) {
		final String n = DICOM.getTagName(tag);
		return n == null ? "(" + tag + ")" : n + " (" + tag + ")";
	}

	/**
	 * Reads the 16-bit pixel data through ImageJ's raw reader at the offset ImageJ's decoder found,
	 * as stored values (masked to Bits Stored and sign-extended when Pixel Representation is 1),
	 * column fastest.
	 */
	int[] pixels(final int columns, final int rows) {
		final String offsetText = get(PIXEL_DATA);
		final long offset;
		try {
			offset = Long.parseLong(offsetText.trim());
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException("DICOM file " + file + " has no pixel data ImageJ can locate");
		}
		final long needed = offset + 2L * columns * rows;
		try {
			final long size = Files.size(file);
			if (size < needed)
				throw new InvalidInputException("DICOM file " + file + " is truncated: its pixel data needs " + needed + " bytes, the file has " + size);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read DICOM file " + file + ": " + e.getMessage(), e);
		}
		final FileInfo fi = new FileInfo();
		fi.fileType = FileInfo.GRAY16_UNSIGNED;
		fi.width = columns;
		fi.height = rows;
		fi.offset = (int) offset;
		fi.longOffset = offset;
		fi.nImages = 1;
		fi.intelByteOrder = !EXPLICIT_BIG.equals(transferSyntax);
		final Object px;
		try (InputStream in = Files.newInputStream(file)) {
			px = new ImageReader(fi).readPixels(in);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read DICOM file " + file + ": " + e.getMessage(), e);
		}
		if (!(px instanceof short[]) || ((short[]) px).length != columns * rows)
			throw new InvalidInputException("ImageJ could not decode the pixel data of DICOM file " + file);
		final short[] s = (short[]) px;
		final int bits = Math.max(1, Math.min(16, integer(BITS_STORED, 16)));
		final boolean signed = integer(PIXEL_REPRESENTATION, 0) == 1;
		final int mask = (1 << bits) - 1;
		final int shift = 32 - bits;
		final int[] out = new int[s.length];
		for (int n = 0; n < s.length; n++) {
			final int v = s[n] & mask;
			out[n] = signed ? (v << shift) >> shift : v;
		}
		return out;
	}
}
