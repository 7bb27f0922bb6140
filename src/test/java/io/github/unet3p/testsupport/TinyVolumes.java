package io.github.unet3p.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.array.ArrayImgs;

/**
 * Small CT volumes and LiTS cases (NIfTI) for tests, and byte-level ways to break them: a 24×20×4
 * int16 CT with a bright square and its labels.
 */
public final class TinyVolumes {

	/** Side and depth of the test CT. */
	public static final int I = 24, J = 20, K = 4;

	private TinyVolumes() {}

	/** A 24×20×4 int16 CT with a bright square (HU −100…200), spacing 1×1×2.5 mm. */
	public static Volume ct() {
		final short[] v = new short[I * J * K];
		for (int k = 0; k < K; k++)
			for (int j = 0; j < J; j++)
				for (int i = 0; i < I; i++)
					v[(k * J + j) * I + i] = (short) (i > 6 && i < 18 && j > 5 && j < 15 ? 60 + 10 * k : -100 + i);
		return Volume.of(ArrayImgs.shorts(v, I, J, K), VolumeGeometry.ofSpacing(1, 1, 2.5));
	}

	/** Labels for {@link #ct()}: 1 inside the bright square, 2 at its centre, {@code extra} at one voxel. */
	public static Volume labels(final int extra, final double... spacing) {
		final byte[] v = new byte[I * J * K];
		for (int k = 0; k < K; k++)
			for (int j = 0; j < J; j++)
				for (int i = 0; i < I; i++)
					v[(k * J + j) * I + i] = (byte) (i > 6 && i < 18 && j > 5 && j < 15 ? i == 12 && j == 10 ? 2 : 1 : 0);
		if (extra != 0) v[I + 1] = (byte) extra;
		return Volume.of(ArrayImgs.unsignedBytes(v, I, J, K), VolumeGeometry.ofSpacing(spacing.length == 3 ? spacing : new double[] { 1, 1, 2.5 }));
	}

	/** Writes a valid volume-N and segmentation-N pair into {@code folder}. */
	public static void litsCase(final Path folder, final int n) throws IOException {
		Files.createDirectories(folder);
		NiftiWriter.write(folder.resolve("volume-" + n + ".nii"), ct());
		NiftiWriter.write(folder.resolve("segmentation-" + n + ".nii"), labels(0));
	}

	/** The bytes of {@link #ct()} as an uncompressed little-endian NIfTI-1 file (data from byte 352). */
	public static byte[] ctBytes(final Path scratch) throws IOException {
		final Path f = scratch.resolve("scratch-ct.nii");
		NiftiWriter.write(f, ct());
		final byte[] b = Files.readAllBytes(f);
		Files.delete(f);
		return b;
	}

	/** A little-endian view of a NIfTI byte array for header edits. */
	public static ByteBuffer header(final byte[] nifti) {
		return ByteBuffer.wrap(nifti).order(ByteOrder.LITTLE_ENDIAN);
	}

	/** Gzip-compresses {@code bytes}. */
	public static byte[] gzip(final byte[] bytes) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
			gz.write(bytes);
		}
		return out.toByteArray();
	}
}
