package io.github.unet3p.core.volume.tiff;

import static io.github.unet3p.core.volume.tiff.TiffTags.BITS;
import static io.github.unet3p.core.volume.tiff.TiffTags.COMPRESSION;
import static io.github.unet3p.core.volume.tiff.TiffTags.DESCRIPTION;
import static io.github.unet3p.core.volume.tiff.TiffTags.HEIGHT;
import static io.github.unet3p.core.volume.tiff.TiffTags.NEW_SUBFILE_TYPE;
import static io.github.unet3p.core.volume.tiff.TiffTags.PHOTOMETRIC;
import static io.github.unet3p.core.volume.tiff.TiffTags.PLANAR;
import static io.github.unet3p.core.volume.tiff.TiffTags.RES_UNIT;
import static io.github.unet3p.core.volume.tiff.TiffTags.ROWS_PER_STRIP;
import static io.github.unet3p.core.volume.tiff.TiffTags.SAMPLES;
import static io.github.unet3p.core.volume.tiff.TiffTags.SAMPLE_FORMAT;
import static io.github.unet3p.core.volume.tiff.TiffTags.STRIP_COUNTS;
import static io.github.unet3p.core.volume.tiff.TiffTags.STRIP_OFFSETS;
import static io.github.unet3p.core.volume.tiff.TiffTags.WIDTH;
import static io.github.unet3p.core.volume.tiff.TiffTags.X_RES;
import static io.github.unet3p.core.volume.tiff.TiffTags.Y_RES;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Writes a {@link TiffImage} as a little-endian multi-page baseline TIFF, uncompressed or Deflate
 * (code 8), in strips of about 64 KiB, with an ImageJ description (unit mm, z spacing, straight-line
 * calibration) so ImageJ opens it as a calibrated stack. Atomic: the file appears complete or not at
 * all.
 */
final class TiffWriter {

	private static final int STRIP_BYTES = 64 * 1024;
	private static final short SHORT = 3, LONG = 4, RATIONAL = 5, ASCII = 2;

	private TiffWriter() {}

	static void write(final Path file, final TiffImage image, final boolean deflate, final ProgressListener progress,
			final Cancellation cancel) throws IOException {
		final TiffSampleKind kind = kindOf(image.pixels());
		if (image.channels() == 3 && kind != TiffSampleKind.U8)
			throw new IllegalArgumentException("RGB TIFF needs UnsignedByteType pixels, not " + kind.label);
		AtomicFiles.write(file, out -> writeTo(out, image, kind, deflate, progress, cancel));
	}

	/** The sample kind for an ImgLib2 pixel type; refuses types TIFF readers do not commonly share. */
	static TiffSampleKind kindOf(final RandomAccessibleInterval<? extends RealType<?>> pixels) {
		final Object t = pixels.getType();
		if (t instanceof UnsignedByteType) return TiffSampleKind.U8;
		if (t instanceof UnsignedShortType) return TiffSampleKind.U16;
		if (t instanceof ShortType) return TiffSampleKind.I16;
		if (t instanceof FloatType) return TiffSampleKind.F32;
		throw new IllegalArgumentException("TIFF writes UnsignedByteType, ShortType, UnsignedShortType or FloatType pixels, not "
				+ t.getClass().getSimpleName());
	}

	private static void writeTo(final OutputStream out, final TiffImage image, final TiffSampleKind kind, final boolean deflate,
			final ProgressListener progress, final Cancellation cancel) throws IOException {
		final int w = image.width(), h = image.height(), c = image.channels(), z = image.pages();
		final int rowBytes = w * c * kind.bytes;
		final int rowsPerStrip = Math.max(1, Math.min(h, STRIP_BYTES / Math.max(1, rowBytes)));
		final int strips = (h + rowsPerStrip - 1) / rowsPerStrip;
		final RandomAccessibleInterval<? extends RealType<?>> px = Views.zeroMin(image.pixels());
		final RandomAccess<? extends RealType<?>> ra = px.randomAccess();
		final byte[] header = { 'I', 'I', 42, 0, 8, 0, 0, 0 };
		out.write(header);
		long position = header.length;
		for (int p = 0; p < z; p++) {
			cancel.check("Writing TIFF");
			final List<byte[]> data = new ArrayList<>(strips);
			for (int s = 0; s < strips; s++) {
				final int y0 = s * rowsPerStrip, rows = Math.min(rowsPerStrip, h - y0);
				final byte[] raw = strip(ra, kind, w, c, p, y0, rows);
				data.add(deflate ? TiffCompression.deflate(raw) : raw);
			}
			final Ifd ifd = directory(image, kind, deflate, p == 0, rowsPerStrip, data);
			position = writePage(out, ifd, data, position, p + 1 < z);
			progress.progress("Writing TIFF pages", p + 1, z);
		}
	}

	/** The directory of one page whose strips are {@code data}; the strip offsets are left to fill in. */
	private static Ifd directory(final TiffImage image, final TiffSampleKind kind, final boolean deflate, final boolean first,
			final int rowsPerStrip, final List<byte[]> data) {
		final int w = image.width(), h = image.height(), c = image.channels(), strips = data.size();
		final Ifd ifd = new Ifd();
		ifd.add(NEW_SUBFILE_TYPE, LONG, 1, ints(0));
		ifd.add(WIDTH, LONG, 1, ints(w));
		ifd.add(HEIGHT, LONG, 1, ints(h));
		ifd.add(BITS, SHORT, c, shorts(c, kind.bytes * 8));
		ifd.add(COMPRESSION, SHORT, 1, shorts(1, deflate ? TiffCompression.ADOBE_DEFLATE : TiffCompression.NONE));
		ifd.add(PHOTOMETRIC, SHORT, 1, shorts(1, c == 3 ? 2 : 1));
		if (first) {
			final byte[] d = (ImageJDescription.of(image) + "\0").getBytes(StandardCharsets.ISO_8859_1);
			ifd.add(DESCRIPTION, ASCII, d.length, d);
		}
		ifd.add(STRIP_OFFSETS, LONG, strips, null); // offsets, filled by writePage
		ifd.add(SAMPLES, SHORT, 1, shorts(1, c));
		ifd.add(ROWS_PER_STRIP, LONG, 1, ints(rowsPerStrip));
		final int[] counts = new int[strips];
		for (int s = 0; s < strips; s++)
			counts[s] = data.get(s).length;
		ifd.add(STRIP_COUNTS, LONG, strips, ints(counts));
		final double[] spacing = image.spacing();
		ifd.add(X_RES, RATIONAL, 1, rational(1 / spacing[0]));
		ifd.add(Y_RES, RATIONAL, 1, rational(1 / spacing[1]));
		ifd.add(PLANAR, SHORT, 1, shorts(1, 1));
		ifd.add(RES_UNIT, SHORT, 1, shorts(1, 1));
		ifd.add(SAMPLE_FORMAT, SHORT, c, shorts(c, kind == TiffSampleKind.I16 ? 2 : kind == TiffSampleKind.F32 ? 3 : 1));
		return ifd;
	}

	/**
	 * Writes one page at {@code position}: its directory, the directory's out-of-line values, then the
	 * strips, padded to the next page's directory if {@code more}. Returns the position after it.
	 */
	private static long writePage(final OutputStream out, final Ifd ifd, final List<byte[]> data, final long position, final boolean more)
			throws IOException {
		final int strips = data.size();
		long cursor = position + 2 + 12L * ifd.size() + 4;
		final long[] valueAt = new long[ifd.size()];
		for (int e = 0; e < ifd.size(); e++) {
			final int bytes = ifd.byteLength(e);
			if (bytes > 4) {
				valueAt[e] = cursor;
				cursor += bytes + (bytes & 1);
			}
		}
		final int[] offsets = new int[strips];
		for (int s = 0; s < strips; s++) {
			offsets[s] = (int) cursor;
			cursor += data.get(s).length;
		}
		if (cursor > 0xFFFF_FFFFL) throw new IOException("the TIFF would exceed 4 GB, the limit of classic TIFF");
		ifd.set(STRIP_OFFSETS, ints(offsets));
		cursor += cursor & 1;
		final long next = more ? cursor : 0;
		writeDirectory(out, ifd, valueAt, next);
		for (final byte[] d : data)
			out.write(d);
		long end = offsets.length == 0 ? cursor : offsets[strips - 1] + data.get(strips - 1).length;
		if (next != 0) {
			while (end < next) {
				out.write(0);
				end++;
			}
		}
		return end;
	}

	/** The directory's entries (values of up to 4 bytes inline, others at {@code valueAt}), then its out-of-line values. */
	private static void writeDirectory(final OutputStream out, final Ifd ifd, final long[] valueAt, final long next) throws IOException {
		final ByteBuffer dir = ByteBuffer.allocate(2 + 12 * ifd.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
		dir.putShort((short) ifd.size());
		for (int e = 0; e < ifd.size(); e++) {
			dir.putShort((short) ifd.tags.get(e).intValue());
			dir.putShort(ifd.types.get(e));
			dir.putInt(ifd.counts.get(e));
			final byte[] v = ifd.values.get(e);
			if (v.length <= 4) {
				final byte[] four = new byte[4];
				System.arraycopy(v, 0, four, 0, v.length);
				dir.put(four);
			}
			else dir.putInt((int) valueAt[e]);
		}
		dir.putInt((int) next);
		out.write(dir.array());
		for (int e = 0; e < ifd.size(); e++) {
			final byte[] v = ifd.values.get(e);
			if (v.length > 4) {
				out.write(v);
				if ((v.length & 1) == 1) out.write(0);
			}
		}
	}

	/** Interleaved little-endian samples of rows y0 … y0 + rows − 1 of page p. */
	private static byte[] strip(final RandomAccess<? extends RealType<?>> ra, final TiffSampleKind kind, final int w, final int c,
			final int p, final int y0, final int rows) {
		final ByteBuffer b = ByteBuffer.allocate(rows * w * c * kind.bytes).order(ByteOrder.LITTLE_ENDIAN);
		ra.setPosition(p, 3);
		for (int y = y0; y < y0 + rows; y++) {
			ra.setPosition(y, 1);
			for (int x = 0; x < w; x++) {
				ra.setPosition(x, 0);
				for (int s = 0; s < c; s++) {
					ra.setPosition(s, 2);
					final RealType<?> v = ra.get();
					switch (kind) {
						case U8: b.put((byte) (int) v.getRealDouble()); break;
						case U16:
						case I16: b.putShort((short) (int) v.getRealDouble()); break;
						default: b.putFloat(v.getRealFloat()); break;
					}
				}
			}
		}
		return b.array();
	}

	private static byte[] ints(final int... v) {
		final ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
		for (final int x : v)
			b.putInt(x);
		return b.array();
	}

	private static byte[] shorts(final int count, final int value) {
		final ByteBuffer b = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
		for (int n = 0; n < count; n++)
			b.putShort((short) value);
		return b.array();
	}

	/** A positive value as an unsigned rational with a denominator up to 10^6. */
	private static byte[] rational(final double v) {
		long den = 1_000_000;
		while (den > 1 && v * den > 0xFFFF_FFFFL)
			den /= 10;
		final long num = Math.max(1, Math.min(0xFFFF_FFFFL, Math.round(v * den)));
		final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt((int) num);
		b.putInt((int) den);
		return b.array();
	}

	/** Entries of one directory, in ascending tag order as added. */
	private static final class Ifd {

		final List<Integer> tags = new ArrayList<>();
		final List<Short> types = new ArrayList<>();
		final List<Integer> counts = new ArrayList<>();
		final List<byte[]> values = new ArrayList<>();

		void add(final int tag, final short type, final int count, final byte[] value) {
			tags.add(tag);
			types.add(type);
			counts.add(count);
			values.add(value == null ? new byte[count * 4] : value);
		}

		void set(final int tag, final byte[] value) {
			values.set(tags.indexOf(tag), value);
		}

		int size() {
			return tags.size();
		}

		int byteLength(final int e) {
			return values.get(e).length;
		}
	}
}
