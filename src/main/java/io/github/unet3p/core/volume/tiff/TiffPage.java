package io.github.unet3p.core.volume.tiff;

import static io.github.unet3p.core.volume.tiff.TiffTags.BITS;
import static io.github.unet3p.core.volume.tiff.TiffTags.COMPRESSION;
import static io.github.unet3p.core.volume.tiff.TiffTags.EXTRA_SAMPLES;
import static io.github.unet3p.core.volume.tiff.TiffTags.HEIGHT;
import static io.github.unet3p.core.volume.tiff.TiffTags.PHOTOMETRIC;
import static io.github.unet3p.core.volume.tiff.TiffTags.PLANAR;
import static io.github.unet3p.core.volume.tiff.TiffTags.PREDICTOR;
import static io.github.unet3p.core.volume.tiff.TiffTags.ROWS_PER_STRIP;
import static io.github.unet3p.core.volume.tiff.TiffTags.SAMPLES;
import static io.github.unet3p.core.volume.tiff.TiffTags.SAMPLE_FORMAT;
import static io.github.unet3p.core.volume.tiff.TiffTags.STRIP_COUNTS;
import static io.github.unet3p.core.volume.tiff.TiffTags.STRIP_OFFSETS;
import static io.github.unet3p.core.volume.tiff.TiffTags.TILE_COUNTS;
import static io.github.unet3p.core.volume.tiff.TiffTags.TILE_LENGTH;
import static io.github.unet3p.core.volume.tiff.TiffTags.TILE_OFFSETS;
import static io.github.unet3p.core.volume.tiff.TiffTags.TILE_WIDTH;
import static io.github.unet3p.core.volume.tiff.TiffTags.WIDTH;

/**
 * One page's validated layout: size, samples, sample kind, compression and predictor, and where its
 * strips or tiles are.
 */
record TiffPage(int width, int height, int samples, TiffSampleKind kind, int compression, int predictor, boolean tiled, int chunkWidth,
		int chunkHeight, int across, long[] offsets, long[] counts) {

	String describe() {
		return width + "×" + height + " " + kind.label + (samples == 3 ? " RGB" : " grey");
	}

	/** Validates the layout of page {@code number} (1-based, for messages) described by {@code ifd}. */
	static TiffPage of(final TiffFile file, final TiffIfd ifd, final int number) {
		final String where = "page " + number;
		final long w = ifd.integer(WIDTH, -1), h = ifd.integer(HEIGHT, -1);
		if (w <= 0 || h <= 0) throw file.bad("has no valid ImageWidth/ImageLength on " + where);
		if (w * h > Integer.MAX_VALUE) throw file.bad("has a " + w + "×" + h + " " + where + "; at most 2^31 − 1 pixels per page are supported");
		final int samples = ifd.integer(SAMPLES, 1);
		final long[] bitsArray = ifd.has(BITS) ? ifd.longs(BITS) : new long[] { 1 };
		final int bits = (int) bitsArray[0];
		for (final long b : bitsArray)
			if (b != bits) throw file.bad("has different bit depths per sample on " + where);
		final int format = ifd.has(SAMPLE_FORMAT) ? (int) ifd.longs(SAMPLE_FORMAT)[0] : 1;
		final int photometric = ifd.integer(PHOTOMETRIC, samples == 3 ? 2 : 1);
		final int compression = ifd.integer(COMPRESSION, 1);
		if (!TiffCompression.isSupported(compression))
			throw file.bad("uses " + TiffCompression.name(compression) + " compression (code " + compression + ") on " + where
					+ "; supported: none, PackBits, LZW, Deflate");
		if (ifd.has(EXTRA_SAMPLES) || samples == 4 || samples == 2)
			throw file.bad("has " + samples + " samples per pixel (extra/alpha samples) on " + where + "; expected grey (1) or RGB (3)");
		final TiffSampleKind kind = sampleKind(file, ifd, samples, bits, format, photometric, where);
		final int predictor = ifd.integer(PREDICTOR, 1);
		if (predictor != 1 && !(predictor == 2 && kind != TiffSampleKind.F32))
			throw file.bad("uses predictor " + predictor + " on " + where + "; supported: none (1) and horizontal differencing (2) for integers");
		return chunks(file, ifd, where, new TiffPage((int) w, (int) h, samples, kind, compression, predictor, false, 0, 0, 0, null, null));
	}

	/** The sample kind of a grey or RGB page, from its bit depth, sample format and photometric interpretation. */
	private static TiffSampleKind sampleKind(final TiffFile file, final TiffIfd ifd, final int samples, final int bits, final int format,
			final int photometric, final String where) {
		if (samples == 3) {
			if (photometric != 2) throw file.bad("has 3 samples with photometric interpretation " + photometric + " on " + where + "; expected RGB (2)");
			if (bits != 8 || format != 1) throw file.bad("has " + bits + "-bit RGB on " + where + "; only 8-bit RGB is supported");
			if (ifd.integer(PLANAR, 1) != 1) throw file.bad("stores RGB as separate planes on " + where + "; only interleaved (chunky) RGB is supported");
			return TiffSampleKind.U8;
		}
		if (samples != 1) throw file.bad("has " + samples + " samples per pixel on " + where + "; expected grey (1) or RGB (3)");
		if (photometric == 3) throw file.bad("is a palette (indexed colour) image on " + where + "; expected grey or RGB");
		if (photometric != 0 && photometric != 1)
			throw file.bad("has photometric interpretation " + photometric + " on " + where + "; expected grey (0 or 1) or RGB (2)");
		if (bits == 8 && format == 1) return TiffSampleKind.U8;
		if (bits == 16 && format == 1) return TiffSampleKind.U16;
		if (bits == 16 && format == 2) return TiffSampleKind.I16;
		if (bits == 32 && format == 3) return TiffSampleKind.F32;
		throw file.bad("has " + bits + "-bit " + (format == 2 ? "signed" : format == 3 ? "float" : "unsigned") + " samples on " + where
				+ "; supported: 8-bit unsigned, 16-bit signed or unsigned, 32-bit float");
	}

	/** {@code p} with its strip or tile layout read from {@code ifd} and checked. */
	private static TiffPage chunks(final TiffFile file, final TiffIfd ifd, final String where, final TiffPage p) {
		final long w = p.width, h = p.height;
		final boolean tiled = ifd.has(TILE_WIDTH);
		final int cw, ch;
		final long[] offsets, counts;
		if (tiled) {
			cw = ifd.integer(TILE_WIDTH, 0);
			ch = ifd.integer(TILE_LENGTH, 0);
			if (cw <= 0 || ch <= 0 || (long) cw * ch * p.samples * p.kind.bytes > Integer.MAX_VALUE)
				throw file.bad("has an invalid tile size " + cw + "×" + ch + " on " + where);
			offsets = ifd.has(TILE_OFFSETS) ? ifd.longs(TILE_OFFSETS) : null;
			counts = ifd.has(TILE_COUNTS) ? ifd.longs(TILE_COUNTS) : null;
		}
		else {
			cw = (int) w;
			final long rps = Math.min(h, ifd.has(ROWS_PER_STRIP) ? ifd.longs(ROWS_PER_STRIP)[0] : h);
			if (rps <= 0) throw file.bad("has RowsPerStrip " + rps + " on " + where);
			ch = (int) rps;
			if ((long) cw * ch * p.samples * p.kind.bytes > Integer.MAX_VALUE) throw file.bad("has strips over 2 GB on " + where);
			offsets = ifd.has(STRIP_OFFSETS) ? ifd.longs(STRIP_OFFSETS) : null;
			counts = ifd.has(STRIP_COUNTS) ? ifd.longs(STRIP_COUNTS) : null;
		}
		final long across = (w + cw - 1) / cw, down = (h + ch - 1) / ch;
		if (offsets == null || offsets.length != across * down)
			throw file.bad("has " + (offsets == null ? "no" : offsets.length) + " " + (tiled ? "tile" : "strip") + " offsets on " + where
					+ "; expected " + across * down);
		if (counts != null && counts.length != offsets.length)
			throw file.bad("has " + counts.length + " byte counts for " + offsets.length + " chunks on " + where);
		if (counts == null && p.compression != TiffCompression.NONE) throw file.bad("has no byte counts for its compressed data on " + where);
		return new TiffPage(p.width, p.height, p.samples, p.kind, p.compression, p.predictor, tiled, cw, ch, (int) across, offsets, counts);
	}
}
