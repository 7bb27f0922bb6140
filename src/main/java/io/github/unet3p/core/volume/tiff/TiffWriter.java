package io.github.unet3p.core.volume.tiff;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
		final TiffReader.Kind kind = kindOf(image.pixels());
		if (image.channels() == 3 && kind != TiffReader.Kind.U8)
			throw new IllegalArgumentException("RGB TIFF needs UnsignedByteType pixels, not " + kind.label);
		AtomicFiles.write(file, out -> writeTo(out, image, kind, deflate, progress, cancel));
	}

	/** The sample kind for an ImgLib2 pixel type; refuses types TIFF readers do not commonly share. */
	static TiffReader.Kind kindOf(final RandomAccessibleInterval<? extends RealType<?>> pixels) {
		final Object t = pixels.getType();
		if (t instanceof UnsignedByteType) return TiffReader.Kind.U8;
		if (t instanceof UnsignedShortType) return TiffReader.Kind.U16;
		if (t instanceof ShortType) return TiffReader.Kind.I16;
		if (t instanceof FloatType) return TiffReader.Kind.F32;
		throw new IllegalArgumentException("TIFF writes UnsignedByteType, ShortType, UnsignedShortType or FloatType pixels, not "
				+ t.getClass().getSimpleName());
	}

	private static void writeTo(final OutputStream out, final TiffImage image, final TiffReader.Kind kind, final boolean deflate,
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
			final Ifd ifd = new Ifd();
			ifd.add(254, LONG, 1, ints(0));
			ifd.add(256, LONG, 1, ints(w));
			ifd.add(257, LONG, 1, ints(h));
			ifd.add(258, SHORT, c, shorts(c, kind.bytes * 8));
			ifd.add(259, SHORT, 1, shorts(1, deflate ? TiffCompression.ADOBE_DEFLATE : TiffCompression.NONE));
			ifd.add(262, SHORT, 1, shorts(1, c == 3 ? 2 : 1));
			if (p == 0) {
				final byte[] d = (description(image) + "\0").getBytes(StandardCharsets.ISO_8859_1);
				ifd.add(270, ASCII, d.length, d);
			}
			ifd.add(273, LONG, strips, null); // offsets, filled below
			ifd.add(277, SHORT, 1, shorts(1, c));
			ifd.add(278, LONG, 1, ints(rowsPerStrip));
			final int[] counts = new int[strips];
			for (int s = 0; s < strips; s++)
				counts[s] = data.get(s).length;
			ifd.add(279, LONG, strips, ints(counts));
			final double[] spacing = image.spacing();
			ifd.add(282, RATIONAL, 1, rational(1 / spacing[0]));
			ifd.add(283, RATIONAL, 1, rational(1 / spacing[1]));
			ifd.add(284, SHORT, 1, shorts(1, 1));
			ifd.add(296, SHORT, 1, shorts(1, 1));
			ifd.add(339, SHORT, c, shorts(c, kind == TiffReader.Kind.I16 ? 2 : kind == TiffReader.Kind.F32 ? 3 : 1));

			// layout: IFD, its out-of-line values, then the strips
			final long ifdStart = position;
			long cursor = ifdStart + 2 + 12L * ifd.size() + 4;
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
				cursor += counts[s];
			}
			if (cursor > 0xFFFF_FFFFL) throw new IOException("the TIFF would exceed 4 GB, the limit of classic TIFF");
			ifd.set(273, ints(offsets));
			cursor += cursor & 1;
			final long next = p + 1 < z ? cursor : 0;

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
			for (final byte[] d : data)
				out.write(d);
			position = offsets.length == 0 ? cursor : offsets[strips - 1] + counts[strips - 1];
			if (next != 0) {
				while (position < next) {
					out.write(0);
					position++;
				}
			}
			progress.progress("Writing TIFF pages", p + 1, z);
		}
	}

	/** Interleaved little-endian samples of rows y0 … y0 + rows − 1 of page p. */
	private static byte[] strip(final RandomAccess<? extends RealType<?>> ra, final TiffReader.Kind kind, final int w, final int c,
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

	/** ImageJ's description: unit, z spacing and (if any) the straight-line calibration. */
	private static String description(final TiffImage image) {
		// NB: no "images=" line. With it ImageJ reads only the first directory and expects every
		// page's data to follow the first one contiguously, which compressed strips never do.
		final StringBuilder s = new StringBuilder("ImageJ=1.11a\n");
		s.append("unit=mm\n");
		s.append("spacing=").append(number(image.spacing()[2])).append('\n');
		if (image.slope() != 1 || image.intercept() != 0) {
			s.append("cf=0\n");
			s.append("c0=").append(number(image.intercept())).append('\n');
			s.append("c1=").append(number(image.slope())).append('\n');
			s.append("vunit=Gray Value\n");
		}
		s.append("loop=false\n");
		return s.toString();
	}

	private static String number(final double v) {
		return String.format(Locale.ROOT, "%s", v);
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
