package io.github.unet3p.core.volume.tiff;

import static io.github.unet3p.core.volume.tiff.TiffTags.DESCRIPTION;
import static io.github.unet3p.core.volume.tiff.TiffTags.RES_UNIT;
import static io.github.unet3p.core.volume.tiff.TiffTags.X_RES;
import static io.github.unet3p.core.volume.tiff.TiffTags.Y_RES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>{@link TiffFile} walks the directories, {@link TiffPage} validates each page's layout, and this
 * class decodes the strips or tiles into the pixels.
 */
final class TiffReader {

	private final TiffFile file;

	private TiffReader(final TiffFile file) {
		this.file = file;
	}

	static TiffImage read(final Path file, final ProgressListener progress, final Cancellation cancel) {
		try (TiffFile f = new TiffFile(file)) {
			return new TiffReader(f).read(progress, cancel);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read TIFF file " + file + ": " + e.getMessage(), e);
		}
	}

	private TiffImage read(final ProgressListener progress, final Cancellation cancel) throws IOException {
		final List<TiffIfd> ifds = file.fullResolutionDirectories();
		final List<TiffPage> pages = pages(ifds);
		final ImageJDescription ij = ImageJDescription.parse(ifds.get(0).ascii(DESCRIPTION));
		if (ij.channels > 1 || ij.frames > 1)
			throw file.bad("is an ImageJ hyperstack (" + ij.channels + " channels, " + ij.frames + " frames); expected one channel over z");
		final TiffPage first = pages.get(0);
		final int c = first.samples(), z = pages.size();
		final PlanarImg<? extends RealType<?>, ?> img = allocate(first, z);
		for (int p = 0; p < z; p++) {
			cancel.check("Reading TIFF " + file.path());
			final Object[] planes = new Object[c];
			for (int s = 0; s < c; s++)
				planes[s] = img.getPlane(s + c * p);
			decode(pages.get(p), p + 1, planes);
			progress.progress("Reading TIFF pages", p + 1, z);
		}
		final double[] spacing = spacing(ifds.get(0), ij);
		return new TiffImage(img, spacing, ij.slope, ij.intercept);
	}

	/** Every page's layout, checked to be alike. */
	private List<TiffPage> pages(final List<TiffIfd> ifds) {
		final TiffPage first = TiffPage.of(file, ifds.get(0), 1);
		final List<TiffPage> pages = new ArrayList<>();
		for (int p = 0; p < ifds.size(); p++) {
			final TiffPage page = p == 0 ? first : TiffPage.of(file, ifds.get(p), p + 1);
			if (page.width() != first.width() || page.height() != first.height() || page.samples() != first.samples() || page.kind() != first.kind())
				throw file.bad("mixes page formats: page 1 is " + first.describe() + ", page " + (p + 1) + " is " + page.describe()
						+ "; a stack needs every page alike");
			pages.add(page);
		}
		return pages;
	}

	/** An image for {@code z} pages like {@code first}, after checking that it fits in the memory Java may use. */
	private PlanarImg<? extends RealType<?>, ?> allocate(final TiffPage first, final int z) {
		final int w = first.width(), h = first.height(), c = first.samples();
		final long planeSize = (long) w * h;
		final long total = planeSize * c * z * first.kind().bytes;
		final long available = Runtime.getRuntime().maxMemory();
		if (total > available * 0.8)
			throw file.bad("needs " + (total >> 20) + " MB for " + w + "×" + h + "×" + c + "×" + z + " " + first.kind().label
					+ " pixels, more than the memory Java may use (" + (available >> 20) + " MB)");
		switch (first.kind()) {
			case U8: return PlanarImgs.unsignedBytes(w, h, c, z);
			case U16: return PlanarImgs.unsignedShorts(w, h, c, z);
			case I16: return PlanarImgs.shorts(w, h, c, z);
			default: return PlanarImgs.floats(w, h, c, z);
		}
	}

	/** Pixel spacing in mm from the resolution tags and ImageJ's unit and spacing; 1 without a known unit. */
	private double[] spacing(final TiffIfd ifd, final ImageJDescription ij) {
		double factor = Double.NaN;
		if (ij.unit != null) factor = ImageJDescription.unitToMm(ij.unit);
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

	/** Decodes every strip or tile of {@code page} into the channel planes. */
	private void decode(final TiffPage page, final int number, final Object[] planes) throws IOException {
		final int rowBytes = page.chunkWidth() * page.samples() * page.kind().bytes;
		for (int n = 0; n < page.offsets().length; n++) {
			final int x0 = (n % page.across()) * page.chunkWidth();
			final int y0 = (n / page.across()) * page.chunkHeight();
			final int rows = page.tiled() ? page.chunkHeight() : Math.min(page.chunkHeight(), page.height() - y0);
			final byte[] buf = new byte[rowBytes * rows];
			final long offset = page.offsets()[n];
			final long count = page.counts() != null ? page.counts()[n] : buf.length;
			final String what = (page.tiled() ? "tile " : "strip ") + (n + 1) + " of page " + number;
			if (offset < 0 || count < 0 || offset + count > file.size())
				throw file.bad("is truncated: " + what + " needs bytes " + offset + "…" + (offset + count) + " but the file has " + file.size());
			if (count > Integer.MAX_VALUE) throw file.bad("has a " + what + " over 2 GB");
			final byte[] raw = file.bytes(offset, (int) count).array();
			final int produced;
			try {
				produced = TiffCompression.decode(page.compression(), raw, buf);
			}
			catch (final DataFormatException e) {
				throw file.bad("has corrupt " + TiffCompression.name(page.compression()) + " data in " + what + ": " + e.getMessage());
			}
			if (produced < buf.length)
				throw file.bad("is truncated or corrupt: " + what + " decodes to " + produced + " bytes, expected " + buf.length);
			if (page.predictor() == 2) undoPredictor(buf, rows, page);
			copy(buf, page, x0, y0, rows, planes);
		}
	}

	/** Undoes horizontal differencing, per row and per sample, in the sample's own width. */
	private void undoPredictor(final byte[] buf, final int rows, final TiffPage page) {
		final int stride = page.samples(), perRow = page.chunkWidth() * page.samples();
		if (page.kind().bytes == 1) {
			for (int r = 0; r < rows; r++)
				for (int i = r * perRow + stride; i < (r + 1) * perRow; i++)
					buf[i] += buf[i - stride];
		}
		else {
			final ByteBuffer b = ByteBuffer.wrap(buf).order(file.order());
			for (int r = 0; r < rows; r++)
				for (int i = r * perRow + stride; i < (r + 1) * perRow; i++)
					b.putShort(2 * i, (short) (b.getShort(2 * i) + b.getShort(2 * (i - stride))));
		}
	}

	private void copy(final byte[] buf, final TiffPage page, final int x0, final int y0, final int rows, final Object[] planes) {
		final ByteBuffer b = ByteBuffer.wrap(buf).order(file.order());
		final int xEnd = Math.min(page.width(), x0 + page.chunkWidth()), yEnd = Math.min(page.height(), y0 + rows);
		final int c = page.samples();
		for (int y = y0; y < yEnd; y++) {
			final int rowStart = (y - y0) * page.chunkWidth() * c;
			for (int s = 0; s < c; s++) {
				final Object plane = planes[s];
				for (int x = x0; x < xEnd; x++) {
					final int sample = rowStart + (x - x0) * c + s;
					final int dst = x + page.width() * y;
					switch (page.kind()) {
						case U8: ((ByteArray) plane).getCurrentStorageArray()[dst] = buf[sample]; break;
						case U16:
						case I16: ((ShortArray) plane).getCurrentStorageArray()[dst] = b.getShort(2 * sample); break;
						default: ((FloatArray) plane).getCurrentStorageArray()[dst] = b.getFloat(4 * sample); break;
					}
				}
			}
		}
	}
}
