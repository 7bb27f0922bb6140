package io.github.unet3p.core.volume.tiff;

import java.util.Arrays;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * A TIFF file's pixels as the codec reads or writes them: a 4-D ImgLib2 image over (x, y, channel,
 * page) in the file's own orientation (x = column, y = row counted from the top, as TIFF stores it),
 * its sample type, the pixel spacing and ImageJ's linear value calibration.
 *
 * @param pixels 4-D: x, y, channel (1 for grey, 3 for RGB), page; {@code UnsignedByteType},
 *            {@code ShortType}, {@code UnsignedShortType} or {@code FloatType}
 * @param spacing pixel width, pixel height and page distance in millimetres; 1 where the file gives
 *            no physical unit
 * @param slope value = slope · pixel + intercept (ImageJ's straight-line calibration); 1 when none
 * @param intercept see {@code slope}; 0 when none
 */
public record TiffImage(RandomAccessibleInterval<? extends RealType<?>> pixels, double[] spacing, double slope, double intercept) {

	/** Checks the shape, the spacing and the scaling. */
	public TiffImage {
		if (pixels.numDimensions() != 4)
			throw new IllegalArgumentException("TIFF pixels are 4-D (x, y, channel, page), not " + pixels.numDimensions() + "-D");
		final long c = pixels.dimension(2);
		if (c != 1 && c != 3) throw new IllegalArgumentException("TIFF pixels have 1 (grey) or 3 (RGB) channels, not " + c);
		if (spacing.length != 3) throw new IllegalArgumentException("spacing needs 3 values");
		for (final double s : spacing)
			if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("spacing must be positive and finite: " + Arrays.toString(spacing));
		if (!Double.isFinite(slope) || !Double.isFinite(intercept) || slope == 0)
			throw new IllegalArgumentException("scaling must be finite with a non-zero slope");
		spacing = spacing.clone();
	}

	/** Grey or RGB pixels without calibration, with the given spacing. */
	public static TiffImage of(final RandomAccessibleInterval<? extends RealType<?>> pixels, final double... spacing) {
		return new TiffImage(pixels, spacing, 1, 0);
	}

	/** Width in pixels. */
	public int width() {
		return (int) pixels.dimension(0);
	}

	/** Height in pixels. */
	public int height() {
		return (int) pixels.dimension(1);
	}

	/** 1 for grey, 3 for RGB. */
	public int channels() {
		return (int) pixels.dimension(2);
	}

	/** Number of pages (z slices). */
	public int pages() {
		return (int) pixels.dimension(3);
	}

	/** The spacing (a copy). */
	@Override
	public double[] spacing() {
		return spacing.clone();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof TiffImage t && t.pixels == pixels && Arrays.equals(t.spacing, spacing) && t.slope == slope && t.intercept == intercept;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(pixels) * 31 + Arrays.hashCode(spacing);
	}

	@Override
	public String toString() {
		return "TiffImage[" + width() + "×" + height() + "×" + channels() + "×" + pages() + ", spacing=" + Arrays.toString(spacing) + "]";
	}
}
