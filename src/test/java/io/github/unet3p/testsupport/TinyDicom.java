package io.github.unet3p.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tiny single-frame DICOM files for tests: 128-byte preamble, "DICM", a group 0002 meta
 * header and a data set in explicit VR little endian, with the tags a CT slice needs. Setters
 * change one attribute; {@link #remove} drops one, to build broken files.
 */
public final class TinyDicom {

	public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
	public static final String EXPLICIT_LITTLE = "1.2.840.10008.1.2.1";

	/** Data-set elements by tag (group << 16 | element), kept in ascending tag order. */
	private final Map<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);
	private final Map<Integer, String> vrs = new TreeMap<>(Integer::compareUnsigned);
	private String transferSyntax = EXPLICIT_LITTLE;
	private String sopClass = CT_IMAGE_STORAGE;
	private String sopInstance = "1.2.826.0.1.3680043.2.1125.1";

	private TinyDicom() {}

	/** An axial CT slice of {@code columns × rows} int16 pixels, slope 1, intercept −1024. */
	public static TinyDicom ct(final int columns, final int rows) {
		final TinyDicom d = new TinyDicom();
		d.string(0x00080016, "UI", CT_IMAGE_STORAGE);
		d.string(0x00080060, "CS", "CT");
		d.string(0x00180050, "DS", "2.5");
		d.string(0x0020000E, "UI", "1.2.3.4.5");
		d.ds(0x00200032, 0, 0, 0);
		d.ds(0x00200037, 1, 0, 0, 0, 1, 0);
		d.us(0x00280002, 1);
		d.string(0x00280004, "CS", "MONOCHROME2");
		d.us(0x00280010, rows);
		d.us(0x00280011, columns);
		d.ds(0x00280030, 1, 1);
		d.us(0x00280100, 16);
		d.us(0x00280101, 16);
		d.us(0x00280102, 15);
		d.us(0x00280103, 1);
		d.ds(0x00281052, -1024);
		d.ds(0x00281053, 1);
		d.pixels(new short[columns * rows]);
		return d;
	}

	public TinyDicom series(final String uid) {
		return string(0x0020000E, "UI", uid);
	}

	public TinyDicom instance(final int number, final String sopInstanceUid) {
		sopInstance = sopInstanceUid;
		string(0x00080018, "UI", sopInstanceUid);
		return string(0x00200013, "IS", Integer.toString(number));
	}

	public TinyDicom position(final double x, final double y, final double z) {
		return ds(0x00200032, x, y, z);
	}

	public TinyDicom orientation(final double... rowThenColumn) {
		return ds(0x00200037, rowThenColumn);
	}

	/** Pixel Spacing: distance between rows, then between columns. */
	public TinyDicom pixelSpacing(final double betweenRows, final double betweenColumns) {
		return ds(0x00280030, betweenRows, betweenColumns);
	}

	public TinyDicom rescale(final double slope, final double intercept) {
		ds(0x00281053, slope);
		return ds(0x00281052, intercept);
	}

	public TinyDicom modality(final String modality) {
		return string(0x00080060, "CS", modality);
	}

	public TinyDicom sopClass(final String uid) {
		sopClass = uid;
		return string(0x00080016, "UI", uid);
	}

	public TinyDicom transferSyntax(final String uid) {
		transferSyntax = uid;
		return this;
	}

	/** Pixel values in stored order (column fastest, then row). */
	public TinyDicom pixels(final short[] values) {
		final byte[] b = new byte[values.length * 2];
		for (int n = 0; n < values.length; n++) {
			b[2 * n] = (byte) values[n];
			b[2 * n + 1] = (byte) (values[n] >> 8);
		}
		return put(0x7FE00010, "OW", b);
	}

	public TinyDicom remove(final int tag) {
		elements.remove(tag);
		vrs.remove(tag);
		return this;
	}

	public TinyDicom ds(final int tag, final double... values) {
		final StringBuilder s = new StringBuilder();
		for (final double v : values) {
			if (s.length() > 0) s.append('\\');
			s.append(v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v).replaceAll("0+$", ""));
		}
		return string(tag, "DS", s.toString());
	}

	public TinyDicom us(final int tag, final int value) {
		return put(tag, "US", new byte[] { (byte) value, (byte) (value >> 8) });
	}

	public TinyDicom string(final int tag, final String vr, final String value) {
		byte[] b = value.getBytes(StandardCharsets.US_ASCII);
		if (b.length % 2 == 1) {
			final byte[] padded = new byte[b.length + 1];
			System.arraycopy(b, 0, padded, 0, b.length);
			padded[b.length] = (byte) (vr.equals("UI") ? 0 : ' ');
			b = padded;
		}
		return put(tag, vr, b);
	}

	private TinyDicom put(final int tag, final String vr, final byte[] value) {
		elements.put(tag, value);
		vrs.put(tag, vr);
		return this;
	}

	/** Writes the file. */
	public void write(final Path file) throws IOException {
		final ByteArrayOutputStream meta = new ByteArrayOutputStream();
		element(meta, 0x00020001, "OB", new byte[] { 0, 1 });
		element(meta, 0x00020002, "UI", ui(sopClass));
		element(meta, 0x00020003, "UI", ui(sopInstance));
		element(meta, 0x00020010, "UI", ui(transferSyntax));
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(new byte[128]);
		out.write("DICM".getBytes(StandardCharsets.US_ASCII));
		final int len = meta.size();
		element(out, 0x00020000, "UL", new byte[] { (byte) len, (byte) (len >> 8), (byte) (len >> 16), (byte) (len >> 24) });
		meta.writeTo(out);
		for (final Map.Entry<Integer, byte[]> e : elements.entrySet())
			element(out, e.getKey(), vrs.get(e.getKey()), e.getValue());
		Files.write(file, out.toByteArray());
	}

	/**
	 * Writes an axial 4×3 series of the given slice positions (z in mm) into {@code folder}, one
	 * file per slice named {@code prefix + index + ".dcm"}.
	 */
	public static void axialSeries(final Path folder, final String seriesUid, final String prefix, final double... z) throws IOException {
		Files.createDirectories(folder);
		for (int s = 0; s < z.length; s++)
			TinyDicom.ct(4, 3).series(seriesUid).instance(s + 1, seriesUid + "." + (s + 1)).position(0, 0, z[s])
					.write(folder.resolve(prefix + s + ".dcm"));
	}

	private static byte[] ui(final String uid) {
		final byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
		final byte[] padded = new byte[b.length + (b.length % 2)];
		System.arraycopy(b, 0, padded, 0, b.length);
		return padded;
	}

	private static void element(final ByteArrayOutputStream out, final int tag, final String vr, final byte[] value) {
		short16(out, tag >>> 16);
		short16(out, tag & 0xFFFF);
		out.write(vr.charAt(0));
		out.write(vr.charAt(1));
		if (vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN") || vr.equals("UT")) {
			short16(out, 0);
			short16(out, value.length);
			short16(out, value.length >>> 16);
		}
		else
			short16(out, value.length);
		out.write(value, 0, value.length);
	}

	private static void short16(final ByteArrayOutputStream out, final int v) {
		out.write(v & 0xFF);
		out.write((v >>> 8) & 0xFF);
	}
}
