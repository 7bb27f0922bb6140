package io.github.unet3p.core.volume.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.RealType;

/**
 * Reads a baseline TIFF (classic, little or big endian) into a {@link TiffImage}: every full-resolution
 * page is one z slice. Strips or tiles; uncompressed, PackBits, LZW or Deflate, with or without the
 * horizontal predictor; 8-bit grey or RGB (chunky), 16-bit signed or unsigned grey, 32-bit float grey.
 * ImageJ's description (unit, z spacing, straight-line calibration) is honoured.
 */
final class TiffReader implements AutoCloseable {

	private static final int NEW_SUBFILE_TYPE = 254, WIDTH = 256, HEIGHT = 257, BITS = 258, COMPRESSION = 259, PHOTOMETRIC = 262,
			DESCRIPTION = 270, STRIP_OFFSETS = 273, SAMPLES = 277, ROWS_PER_STRIP = 278, STRIP_COUNTS = 279, X_RES = 282, Y_RES = 283,
			PLANAR = 284, RES_UNIT = 296, PREDICTOR = 317, TILE_WIDTH = 322, TILE_LENGTH = 323, TILE_OFFSETS = 324, TILE_COUNTS = 325,
			EXTRA_SAMPLES = 338, SAMPLE_FORMAT = 339;
	private static final int[] TYPE_SIZE = { 0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8 };
	/** Largest tag value the reader loads (a description, an offsets table). */
	private static final long MAX_TAG_BYTES = 256L << 20;
	private static final int MAX_PAGES = 1_000_000;

	private final Path file;
	private final FileChannel channel;
	private final long size;
	private ByteOrder order;

	private TiffReader(final Path file) throws IOException {
		this.file = file;
		this.channel = FileChannel.open(file);
		this.size = channel.size();
	}

	@Override
	public void close() throws IOException {
		channel.close();
	}

	static TiffImage read(final Path file, final ProgressListener progress, final Cancellation cancel) {
		try (TiffReader r = new TiffReader(file)) {
			return r.read(progress, cancel);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read TIFF file " + file + ": " + e.getMessage(), e);
		}
	}

	private TiffImage read(final ProgressListener progress, final Cancellation cancel) throws IOException {
		if (size < 8) throw bad("is too short to be a TIFF (" + size + " bytes)");
		final ByteBuffer head = bytes(0, 8);
		final String magic = new String(head.array(), 0, 2, StandardCharsets.US_ASCII);
		if (magic.equals("II")) order = ByteOrder.LITTLE_ENDIAN;
		else if (magic.equals("MM")) order = ByteOrder.BIG_ENDIAN;
		else throw bad("is not a TIFF (it does not start with II or MM)");
		head.order(order);
		final int version = head.getShort(2) & 0xFFFF;
		if (version == 43) throw bad("is a BigTIFF; only classic TIFF (files under 4 GB) is supported");
		if (version != 42) throw bad("is not a TIFF (version " + version + ", expected 42)");

		final List<Ifd> ifds = new ArrayList<>();
		final Set<Long> seen = new HashSet<>();
		long offset = head.getInt(4) & 0xFFFFFFFFL;
		while (offset != 0) {
			if (!seen.add(offset)) throw bad("is corrupt: its list of pages loops back to byte " + offset);
			if (seen.size() > MAX_PAGES) throw bad("has more than " + MAX_PAGES + " pages");
			final Ifd ifd = ifd(offset);
			if ((ifd.integer(NEW_SUBFILE_TYPE, 0) & 1) == 0) ifds.add(ifd); // skip thumbnails / reduced resolution
			offset = ifd.next;
		}
		if (ifds.isEmpty()) throw bad("has no full-resolution image");

		final Page first = page(ifds.get(0), 1);
		final List<Page> pages = new ArrayList<>();
		for (int p = 0; p < ifds.size(); p++) {
			final Page page = p == 0 ? first : page(ifds.get(p), p + 1);
			if (page.width != first.width || page.height != first.height || page.samples != first.samples || page.kind != first.kind)
				throw bad("mixes page formats: page 1 is " + first.describe() + ", page " + (p + 1) + " is " + page.describe()
						+ "; a stack needs every page alike");
			pages.add(page);
		}
		final ImageJInfo ij = ImageJInfo.parse(ifds.get(0).ascii(DESCRIPTION));
		if (ij.channels > 1 || ij.frames > 1)
			throw bad("is an ImageJ hyperstack (" + ij.channels + " channels, " + ij.frames + " frames); expected one channel over z");

		final int w = first.width, h = first.height, c = first.samples, z = pages.size();
		final long planeSize = (long) w * h;
		final long total = planeSize * c * z * first.kind.bytes;
		final long available = Runtime.getRuntime().maxMemory();
		if (total > available * 0.8)
			throw bad("needs " + (total >> 20) + " MB for " + w + "×" + h + "×" + c + "×" + z + " " + first.kind.label
					+ " pixels, more than the memory Java may use (" + (available >> 20) + " MB)");
		final PlanarImg<? extends RealType<?>, ?> img;
		switch (first.kind) {
			case U8: img = PlanarImgs.unsignedBytes(w, h, c, z); break;
			case U16: img = PlanarImgs.unsignedShorts(w, h, c, z); break;
			case I16: img = PlanarImgs.shorts(w, h, c, z); break;
			default: img = PlanarImgs.floats(w, h, c, z); break;
		}
		for (int p = 0; p < z; p++) {
			cancel.check("Reading TIFF " + file);
			final Object[] planes = new Object[c];
			for (int s = 0; s < c; s++)
				planes[s] = img.getPlane(s + c * p);
			decode(pages.get(p), p + 1, planes);
			progress.progress("Reading TIFF pages", p + 1, z);
		}
		final double[] spacing = spacing(ifds.get(0), ij);
		return new TiffImage(img, spacing, ij.slope, ij.intercept);
	}

	/** Pixel spacing in mm from the resolution tags and ImageJ's unit and spacing; 1 without a known unit. */
	private double[] spacing(final Ifd ifd, final ImageJInfo ij) throws IOException {
		double factor = Double.NaN;
		if (ij.unit != null) factor = ImageJInfo.unitToMm(ij.unit);
		else if (ifd.has(RES_UNIT)) {
			final int unit = ifd.integer(RES_UNIT, 1);
			if (unit == 2) factor = 25.4;
			else if (unit == 3) factor = 10;
		}
		if (Double.isNaN(factor)) return new double[] { 1, 1, 1 };
		final double xr = ifd.has(X_RES) ? ifd.real(X_RES) : 0, yr = ifd.has(Y_RES) ? ifd.real(Y_RES) : xr;
		final double sx = xr > 0 && Double.isFinite(xr) ? factor / xr : 1;
		final double sy = yr > 0 && Double.isFinite(yr) ? factor / yr : sx;
		final double sz = ij.spacing > 0 ? ij.spacing * factor : 1;
		return new double[] { sx, sy, sz };
	}

	/** Validates one page's layout. */
	private Page page(final Ifd ifd, final int number) throws IOException {
		final String where = "page " + number;
		final long w = ifd.integer(WIDTH, -1), h = ifd.integer(HEIGHT, -1);
		if (w <= 0 || h <= 0) throw bad("has no valid ImageWidth/ImageLength on " + where);
		if (w * h > Integer.MAX_VALUE) throw bad("has a " + w + "×" + h + " " + where + "; at most 2^31 − 1 pixels per page are supported");
		final int samples = ifd.integer(SAMPLES, 1);
		final long[] bitsArray = ifd.has(BITS) ? ifd.longs(BITS) : new long[] { 1 };
		final int bits = (int) bitsArray[0];
		for (final long b : bitsArray)
			if (b != bits) throw bad("has different bit depths per sample on " + where);
		final int format = ifd.has(SAMPLE_FORMAT) ? (int) ifd.longs(SAMPLE_FORMAT)[0] : 1;
		final int photometric = ifd.integer(PHOTOMETRIC, samples == 3 ? 2 : 1);
		final int compression = ifd.integer(COMPRESSION, 1);
		if (!TiffCompression.isSupported(compression))
			throw bad("uses " + TiffCompression.name(compression) + " compression (code " + compression + ") on " + where
					+ "; supported: none, PackBits, LZW, Deflate");
		if (ifd.has(EXTRA_SAMPLES) || samples == 4 || samples == 2)
			throw bad("has " + samples + " samples per pixel (extra/alpha samples) on " + where + "; expected grey (1) or RGB (3)");
		final Kind kind;
		if (samples == 3) {
			if (photometric != 2) throw bad("has 3 samples with photometric interpretation " + photometric + " on " + where + "; expected RGB (2)");
			if (bits != 8 || format != 1) throw bad("has " + bits + "-bit RGB on " + where + "; only 8-bit RGB is supported");
			if (ifd.integer(PLANAR, 1) != 1) throw bad("stores RGB as separate planes on " + where + "; only interleaved (chunky) RGB is supported");
			kind = Kind.U8;
		}
		else if (samples == 1) {
			if (photometric == 3) throw bad("is a palette (indexed colour) image on " + where + "; expected grey or RGB");
			if (photometric != 0 && photometric != 1)
				throw bad("has photometric interpretation " + photometric + " on " + where + "; expected grey (0 or 1) or RGB (2)");
			if (bits == 8 && format == 1) kind = Kind.U8;
			else if (bits == 16 && format == 1) kind = Kind.U16;
			else if (bits == 16 && format == 2) kind = Kind.I16;
			else if (bits == 32 && format == 3) kind = Kind.F32;
			else throw bad("has " + bits + "-bit " + (format == 2 ? "signed" : format == 3 ? "float" : "unsigned") + " samples on " + where
					+ "; supported: 8-bit unsigned, 16-bit signed or unsigned, 32-bit float");
		}
		else throw bad("has " + samples + " samples per pixel on " + where + "; expected grey (1) or RGB (3)");
		final int predictor = ifd.integer(PREDICTOR, 1);
		if (predictor != 1 && !(predictor == 2 && kind != Kind.F32))
			throw bad("uses predictor " + predictor + " on " + where + "; supported: none (1) and horizontal differencing (2) for integers");

		final boolean tiled = ifd.has(TILE_WIDTH);
		final int cw, ch;
		final long[] offsets, counts;
		if (tiled) {
			cw = ifd.integer(TILE_WIDTH, 0);
			ch = ifd.integer(TILE_LENGTH, 0);
			if (cw <= 0 || ch <= 0 || (long) cw * ch * samples * kind.bytes > Integer.MAX_VALUE)
				throw bad("has an invalid tile size " + cw + "×" + ch + " on " + where);
			offsets = ifd.has(TILE_OFFSETS) ? ifd.longs(TILE_OFFSETS) : null;
			counts = ifd.has(TILE_COUNTS) ? ifd.longs(TILE_COUNTS) : null;
		}
		else {
			cw = (int) w;
			final long rps = Math.min(h, ifd.has(ROWS_PER_STRIP) ? ifd.longs(ROWS_PER_STRIP)[0] : h);
			if (rps <= 0) throw bad("has RowsPerStrip " + rps + " on " + where);
			ch = (int) rps;
			if ((long) cw * ch * samples * kind.bytes > Integer.MAX_VALUE) throw bad("has strips over 2 GB on " + where);
			offsets = ifd.has(STRIP_OFFSETS) ? ifd.longs(STRIP_OFFSETS) : null;
			counts = ifd.has(STRIP_COUNTS) ? ifd.longs(STRIP_COUNTS) : null;
		}
		final long across = (w + cw - 1) / cw, down = (h + ch - 1) / ch;
		if (offsets == null || offsets.length != across * down)
			throw bad("has " + (offsets == null ? "no" : offsets.length) + " " + (tiled ? "tile" : "strip") + " offsets on " + where + "; expected "
					+ across * down);
		if (counts != null && counts.length != offsets.length) throw bad("has " + counts.length + " byte counts for " + offsets.length + " chunks on " + where);
		if (counts == null && compression != TiffCompression.NONE) throw bad("has no byte counts for its compressed data on " + where);
		return new Page((int) w, (int) h, samples, kind, compression, predictor, tiled, cw, ch, (int) across, offsets, counts);
	}

	/** Decodes every strip or tile of {@code page} into the channel planes. */
	private void decode(final Page page, final int number, final Object[] planes) throws IOException {
		final int rowBytes = page.chunkWidth * page.samples * page.kind.bytes;
		for (int n = 0; n < page.offsets.length; n++) {
			final int x0 = (n % page.across) * page.chunkWidth;
			final int y0 = (n / page.across) * page.chunkHeight;
			final int rows = page.tiled ? page.chunkHeight : Math.min(page.chunkHeight, page.height - y0);
			final byte[] buf = new byte[rowBytes * rows];
			final long offset = page.offsets[n];
			final long count = page.counts != null ? page.counts[n] : buf.length;
			final String what = (page.tiled ? "tile " : "strip ") + (n + 1) + " of page " + number;
			if (offset < 0 || count < 0 || offset + count > size)
				throw bad("is truncated: " + what + " needs bytes " + offset + "…" + (offset + count) + " but the file has " + size);
			if (count > Integer.MAX_VALUE) throw bad("has a " + what + " over 2 GB");
			final byte[] raw = bytes(offset, (int) count).array();
			final int produced;
			try {
				produced = TiffCompression.decode(page.compression, raw, buf);
			}
			catch (final DataFormatException e) {
				throw bad("has corrupt " + TiffCompression.name(page.compression) + " data in " + what + ": " + e.getMessage());
			}
			if (produced < buf.length)
				throw bad("is truncated or corrupt: " + what + " decodes to " + produced + " bytes, expected " + buf.length);
			if (page.predictor == 2) undoPredictor(buf, rows, page);
			copy(buf, page, x0, y0, rows, planes);
		}
	}

	/** Undoes horizontal differencing, per row and per sample, in the sample's own width. */
	private void undoPredictor(final byte[] buf, final int rows, final Page page) {
		final int stride = page.samples, perRow = page.chunkWidth * page.samples;
		if (page.kind.bytes == 1) {
			for (int r = 0; r < rows; r++)
				for (int i = r * perRow + stride; i < (r + 1) * perRow; i++)
					buf[i] += buf[i - stride];
		}
		else {
			final ByteBuffer b = ByteBuffer.wrap(buf).order(order);
			for (int r = 0; r < rows; r++)
				for (int i = r * perRow + stride; i < (r + 1) * perRow; i++)
					b.putShort(2 * i, (short) (b.getShort(2 * i) + b.getShort(2 * (i - stride))));
		}
	}

	private void copy(final byte[] buf, final Page page, final int x0, final int y0, final int rows, final Object[] planes) {
		final ByteBuffer b = ByteBuffer.wrap(buf).order(order);
		final int xEnd = Math.min(page.width, x0 + page.chunkWidth), yEnd = Math.min(page.height, y0 + rows);
		final int c = page.samples;
		for (int y = y0; y < yEnd; y++) {
			final int rowStart = (y - y0) * page.chunkWidth * c;
			for (int s = 0; s < c; s++) {
				final Object plane = planes[s];
				for (int x = x0; x < xEnd; x++) {
					final int sample = rowStart + (x - x0) * c + s;
					final int dst = x + page.width * y;
					switch (page.kind) {
						case U8: ((ByteArray) plane).getCurrentStorageArray()[dst] = buf[sample]; break;
						case U16:
						case I16: ((ShortArray) plane).getCurrentStorageArray()[dst] = b.getShort(2 * sample); break;
						default: ((FloatArray) plane).getCurrentStorageArray()[dst] = b.getFloat(4 * sample); break;
					}
				}
			}
		}
	}

	/** Reads one image file directory at {@code offset}. */
	private Ifd ifd(final long offset) throws IOException {
		if (offset < 8 || offset + 2 > size) throw bad("is truncated: a page directory should be at byte " + offset + ", the file has " + size + " bytes");
		final int entries = bytes(offset, 2).getShort(0) & 0xFFFF;
		final long end = offset + 2 + 12L * entries + 4;
		if (end > size) throw bad("is truncated: the page directory at byte " + offset + " runs past the end of the file");
		final ByteBuffer b = bytes(offset + 2, 12 * entries + 4);
		final Ifd ifd = new Ifd();
		for (int e = 0; e < entries; e++) {
			final int at = 12 * e;
			final int tag = b.getShort(at) & 0xFFFF, type = b.getShort(at + 2) & 0xFFFF;
			final long count = b.getInt(at + 4) & 0xFFFFFFFFL;
			if (type < 1 || type >= TYPE_SIZE.length) continue; // unknown types are skipped, as TIFF 6.0 asks
			final long bytes = count * TYPE_SIZE[type];
			if (bytes > MAX_TAG_BYTES) throw bad("has an absurd tag " + tag + " with " + count + " values");
			final ByteBuffer value;
			if (bytes <= 4) value = ByteBuffer.wrap(b.array(), at + 8, 4).slice().order(order);
			else {
				final long at2 = b.getInt(at + 8) & 0xFFFFFFFFL;
				if (at2 + bytes > size) throw bad("is truncated: tag " + tag + " points to bytes " + at2 + "…" + (at2 + bytes) + ", the file has " + size);
				value = bytes(at2, (int) bytes);
			}
			ifd.entries.put(tag, new Entry(type, (int) count, value));
		}
		ifd.next = b.getInt(12 * entries) & 0xFFFFFFFFL;
		return ifd;
	}

	private ByteBuffer bytes(final long offset, final int length) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(length);
		while (b.hasRemaining()) {
			final int n = channel.read(b, offset + b.position());
			if (n < 0) throw bad("is truncated at byte " + (offset + b.position()) + " (the file has " + size + " bytes)");
		}
		b.flip();
		return b.order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
	}

	private InvalidInputException bad(final String what) {
		return new InvalidInputException("TIFF file " + file + " " + what);
	}

	/** Pixel sample kinds the codec supports. */
	enum Kind {
		U8(1, "8-bit"), U16(2, "16-bit unsigned"), I16(2, "16-bit signed"), F32(4, "32-bit float");

		final int bytes;
		final String label;

		Kind(final int bytes, final String label) {
			this.bytes = bytes;
			this.label = label;
		}
	}

	/** One page's validated layout. */
	private record Page(int width, int height, int samples, Kind kind, int compression, int predictor, boolean tiled, int chunkWidth,
			int chunkHeight, int across, long[] offsets, long[] counts) {

		String describe() {
			return width + "×" + height + " " + kind.label + (samples == 3 ? " RGB" : " grey");
		}
	}

	/** A raw tag value. */
	private record Entry(int type, int count, ByteBuffer value) {}

	/** One image file directory. */
	private final class Ifd {

		final Map<Integer, Entry> entries = new HashMap<>();
		long next;

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
					default: throw bad("has tag " + tag + " of type " + e.type + " where an integer was expected");
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

	/** What ImageJ's image description says: unit, z spacing, calibration, hyperstack shape. */
	static final class ImageJInfo {

		String unit;
		double spacing;
		double slope = 1, intercept = 0;
		int channels = 1, frames = 1;

		static ImageJInfo parse(final String description) {
			final ImageJInfo info = new ImageJInfo();
			if (description == null || !description.startsWith("ImageJ=")) return info;
			final Map<String, String> kv = new HashMap<>();
			for (final String line : description.split("\n")) {
				final int eq = line.indexOf('=');
				if (eq > 0) kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
			}
			info.unit = kv.get("unit");
			info.spacing = number(kv.get("spacing"), 0);
			info.channels = (int) number(kv.get("channels"), 1);
			info.frames = (int) number(kv.get("frames"), 1);
			if ("0".equals(kv.get("cf"))) {
				final double c0 = number(kv.get("c0"), 0), c1 = number(kv.get("c1"), 1);
				if (c1 != 0 && Double.isFinite(c0) && Double.isFinite(c1)) {
					info.intercept = c0;
					info.slope = c1;
				}
			}
			return info;
		}

		/** Millimetres per unit for ImageJ's unit names; NaN for "pixel" and unknown units. */
		static double unitToMm(final String unit) {
			switch (unit.toLowerCase(Locale.ROOT)) {
				case "mm": case "millimeter": case "millimetre": return 1;
				case "cm": case "centimeter": case "centimetre": return 10;
				case "m": case "meter": case "metre": return 1000;
				case "micron": case "um": case "\u00b5m": case "\u03bcm": case "microns": return 1e-3;
				case "nm": case "nanometer": return 1e-6;
				case "inch": case "in": case "inches": return 25.4;
				default: return Double.NaN;
			}
		}

		private static double number(final String s, final double fallback) {
			if (s == null) return fallback;
			try {
				return Double.parseDouble(s);
			}
			catch (final NumberFormatException e) {
				return fallback;
			}
		}
	}
}
