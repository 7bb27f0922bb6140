package io.github.unet3p.core.volume.nifti;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds NIfTI-1 files byte by byte for tests, independently of {@link NiftiWriter}: any byte
 * order, any field value, any (even wrong) data length.
 */
final class TestNifti {

	ByteOrder order = ByteOrder.LITTLE_ENDIAN;
	int sizeofHdr = 348;
	String magic = "n+1";
	short[] dim = { 3, 2, 3, 4, 1, 1, 1, 1 };
	int datatype = NiftiDatatype.INT16.code();
	int bitpix = 16;
	float[] pixdim = { 1, 1, 1, 1, 0, 0, 0, 0 };
	float voxOffset = 352;
	float sclSlope = 1, sclInter = 0;
	int qformCode, sformCode;
	float[] quatern = new float[3], qoffset = new float[3];
	float[][] srow = { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 } };
	int xyztUnits = 2;
	float calMin, calMax;
	String descrip = "";
	/** Voxel bytes as they follow the header (already in {@link #order}). */
	byte[] data = new byte[0];

	/** Sets dims (I, J, K) and fills int16 data 0, 1, 2, … in {@link #order}. */
	TestNifti int16Ramp(final int i, final int j, final int k) {
		dim = new short[] { 3, (short) i, (short) j, (short) k, 1, 1, 1, 1 };
		datatype = 4;
		bitpix = 16;
		final ByteBuffer b = ByteBuffer.allocate(2 * i * j * k).order(order);
		for (int n = 0; n < i * j * k; n++)
			b.putShort((short) n);
		data = b.array();
		return this;
	}

	byte[] header() {
		final ByteBuffer b = ByteBuffer.allocate(352).order(order);
		b.putInt(0, sizeofHdr);
		for (int d = 0; d < 8; d++)
			b.putShort(40 + 2 * d, dim[d]);
		b.putShort(70, (short) datatype).putShort(72, (short) bitpix);
		for (int d = 0; d < 8; d++)
			b.putFloat(76 + 4 * d, pixdim[d]);
		b.putFloat(108, voxOffset).putFloat(112, sclSlope).putFloat(116, sclInter);
		b.put(123, (byte) xyztUnits);
		b.putFloat(124, calMax).putFloat(128, calMin);
		final byte[] t = descrip.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < t.length; i++)
			b.put(148 + i, t[i]);
		b.putShort(252, (short) qformCode).putShort(254, (short) sformCode);
		for (int i = 0; i < 3; i++) {
			b.putFloat(256 + 4 * i, quatern[i]);
			b.putFloat(268 + 4 * i, qoffset[i]);
			for (int c = 0; c < 4; c++)
				b.putFloat(280 + 16 * i + 4 * c, srow[i][c]);
		}
		final byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
		for (int i = 0; i < Math.min(4, m.length); i++)
			b.put(344 + i, m[i]);
		return b.array();
	}

	byte[] bytes() {
		final byte[] h = header();
		final byte[] all = new byte[h.length + data.length];
		System.arraycopy(h, 0, all, 0, h.length);
		System.arraycopy(data, 0, all, h.length, data.length);
		return all;
	}

	Path write(final Path file) throws IOException {
		return Files.write(file, bytes());
	}

	Path writeGzip(final Path file) throws IOException {
		return Files.write(file, gzip(bytes()));
	}

	static byte[] gzip(final byte[] bytes) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
			gz.write(bytes);
		}
		return out.toByteArray();
	}
}
