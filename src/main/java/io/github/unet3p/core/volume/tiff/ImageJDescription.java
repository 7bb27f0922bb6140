package io.github.unet3p.core.volume.tiff;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ImageJ's TIFF image description (tag 270), both ways: what one says (unit, z spacing, straight-line
 * calibration, hyperstack shape) and the one {@link TiffWriter} writes so ImageJ opens a calibrated
 * stack.
 */
final class ImageJDescription {

	String unit;
	double spacing;
	double slope = 1, intercept = 0;
	int channels = 1, frames = 1;

	/** ImageJ's description: unit, z spacing and (if any) the straight-line calibration. */
	static String of(final TiffImage image) {
		// NB: no "images=" line. With it ImageJ reads only the first directory and expects every
		// page's data to follow the first one contiguously, which compressed strips never do.
		final StringBuilder s = new StringBuilder("ImageJ=1.11a\n");
		s.append("unit=mm\n");
		s.append("spacing=").append(format(image.spacing()[2])).append('\n');
		if (image.slope() != 1 || image.intercept() != 0) {
			s.append("cf=0\n");
			s.append("c0=").append(format(image.intercept())).append('\n');
			s.append("c1=").append(format(image.slope())).append('\n');
			s.append("vunit=Gray Value\n");
		}
		s.append("loop=false\n");
		return s.toString();
	}

	private static String format(final double v) {
		return String.format(Locale.ROOT, "%s", v);
	}

	/** Reads ImageJ's description; defaults (no unit, no spacing, no calibration, 1 channel and frame) for any other. */
	static ImageJDescription parse(final String description) {
		final ImageJDescription info = new ImageJDescription();
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
