package io.github.unet3p.core.volume.tiff;

/** The baseline TIFF tags and field types the reader and writer use (TIFF 6.0, section 8 and 2). */
final class TiffTags {

	static final int NEW_SUBFILE_TYPE = 254, WIDTH = 256, HEIGHT = 257, BITS = 258, COMPRESSION = 259, PHOTOMETRIC = 262,
			DESCRIPTION = 270, STRIP_OFFSETS = 273, SAMPLES = 277, ROWS_PER_STRIP = 278, STRIP_COUNTS = 279, X_RES = 282, Y_RES = 283,
			PLANAR = 284, RES_UNIT = 296, PREDICTOR = 317, TILE_WIDTH = 322, TILE_LENGTH = 323, TILE_OFFSETS = 324, TILE_COUNTS = 325,
			EXTRA_SAMPLES = 338, SAMPLE_FORMAT = 339;

	/** Bytes per value of each field type, indexed by type code (0 is unused). */
	static final int[] TYPE_SIZE = { 0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8 };

	private TiffTags() {}
}
