package io.github.unet3p.core.volume.png;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.SliceImage;

/** The IHDR fields of a PNG. */
final class PngHeader {

	final int width, height, bitDepth, colorType, samplesPerPixel;

	private PngHeader(final int width, final int height, final int bitDepth, final int colorType, final int samplesPerPixel) {
		this.width = width;
		this.height = height;
		this.bitDepth = bitDepth;
		this.colorType = colorType;
		this.samplesPerPixel = samplesPerPixel;
	}

	static PngHeader parse(final byte[] png, final int at, final int len, final String name) {
		if (len != 13) throw new InvalidInputException(name + ": corrupt PNG (IHDR of " + len + " bytes, expected 13)");
		final long w = PngChunks.getInt(png, at) & 0xffffffffL, h = PngChunks.getInt(png, at + 4) & 0xffffffffL;
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
		return new PngHeader((int) w, (int) h, depth, color, spp);
	}
}
