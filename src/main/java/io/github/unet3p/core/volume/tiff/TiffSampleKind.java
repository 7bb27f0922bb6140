package io.github.unet3p.core.volume.tiff;

/** Pixel sample kinds the TIFF codec supports. */
enum TiffSampleKind {
	U8(1, "8-bit"), U16(2, "16-bit unsigned"), I16(2, "16-bit signed"), F32(4, "32-bit float");

	final int bytes;
	final String label;

	TiffSampleKind(final int bytes, final String label) {
		this.bytes = bytes;
		this.label = label;
	}
}
