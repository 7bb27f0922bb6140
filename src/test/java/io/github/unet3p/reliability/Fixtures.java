package io.github.unet3p.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.array.ArrayImgs;

/** Small valid inputs for the reliability tests, and byte-level ways to break them. */
final class Fixtures {

	/** Side and depth of the test CT. */
	static final int I = 24, J = 20, K = 4;

	private Fixtures() {}

	/** A 24×20×4 int16 CT with a bright square (HU −100…200), spacing 1×1×2.5 mm. */
	static Volume ct() {
		final short[] v = new short[I * J * K];
		for (int k = 0; k < K; k++)
			for (int j = 0; j < J; j++)
				for (int i = 0; i < I; i++)
					v[(k * J + j) * I + i] = (short) (i > 6 && i < 18 && j > 5 && j < 15 ? 60 + 10 * k : -100 + i);
		return Volume.of(ArrayImgs.shorts(v, I, J, K), VolumeGeometry.ofSpacing(1, 1, 2.5));
	}

	/** Labels for {@link #ct()}: 1 inside the bright square, 2 at its centre, {@code extra} at one voxel. */
	static Volume labels(final int extra, final double... spacing) {
		final byte[] v = new byte[I * J * K];
		for (int k = 0; k < K; k++)
			for (int j = 0; j < J; j++)
				for (int i = 0; i < I; i++)
					v[(k * J + j) * I + i] = (byte) (i > 6 && i < 18 && j > 5 && j < 15 ? i == 12 && j == 10 ? 2 : 1 : 0);
		if (extra != 0) v[I + 1] = (byte) extra;
		return Volume.of(ArrayImgs.unsignedBytes(v, I, J, K), VolumeGeometry.ofSpacing(spacing.length == 3 ? spacing : new double[] { 1, 1, 2.5 }));
	}

	/** Writes a valid volume-N and segmentation-N pair into {@code folder}. */
	static void litsCase(final Path folder, final int n) throws IOException {
		Files.createDirectories(folder);
		NiftiWriter.write(folder.resolve("volume-" + n + ".nii"), ct());
		NiftiWriter.write(folder.resolve("segmentation-" + n + ".nii"), labels(0));
	}

	/** The bytes of {@link #ct()} as an uncompressed little-endian NIfTI-1 file (data from byte 352). */
	static byte[] ctBytes(final Path scratch) throws IOException {
		final Path f = scratch.resolve("scratch-ct.nii");
		NiftiWriter.write(f, ct());
		final byte[] b = Files.readAllBytes(f);
		Files.delete(f);
		return b;
	}

	/** A little-endian view of a NIfTI byte array for header edits. */
	static ByteBuffer header(final byte[] nifti) {
		return ByteBuffer.wrap(nifti).order(ByteOrder.LITTLE_ENDIAN);
	}

	/** Gzip-compresses {@code bytes}. */
	static byte[] gzip(final byte[] bytes) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
			gz.write(bytes);
		}
		return out.toByteArray();
	}

	/** Writes {@code count} prepared slice pairs of {@code side} pixels into {@code folder}/images and /mask. */
	static Path dataset(final Path folder, final int count, final int side) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		Files.createDirectories(folder.resolve("mask"));
		for (int s = 0; s < count; s++) {
			PngCodec.write(folder.resolve("images/image_0_" + s + ".png"), rgb(side, side, s));
			PngCodec.write(folder.resolve("mask/mask_0_" + s + ".png"), mask(side, side));
		}
		return folder;
	}

	/** An RGB slice with a bright square. */
	static SliceImage rgb(final int w, final int h, final int seed) {
		final byte[] b = new byte[w * h * 3];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < 3; c++)
					b[(y * w + x) * 3 + c] = (byte) (inside(x, y, w, h) ? 200 : (x * 7 + y * 3 + seed + c) & 0x3f);
		return new SliceImage(w, h, 3, b);
	}

	/** A 0/1 mask of the same square. */
	static SliceImage mask(final int w, final int h) {
		final byte[] b = new byte[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				b[y * w + x] = (byte) (inside(x, y, w, h) ? 1 : 0);
		return SliceImage.gray(w, h, b);
	}

	private static boolean inside(final int x, final int y, final int w, final int h) {
		return x > w / 4 && x < 3 * w / 4 && y > h / 4 && y < 3 * h / 4;
	}
}
