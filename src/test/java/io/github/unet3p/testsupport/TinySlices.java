package io.github.unet3p.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

/**
 * Writes tiny prepared datasets in the reference recipe's layout ({@code images/image_N_k.png} RGB,
 * {@code mask/mask_N_k.png} 0/1): {@link #write} draws a bright disk (label 1) of seeded position and
 * radius on a dark, noisy background (label 0) per slice; {@link #squares} the same bright square
 * in every slice.
 */
public final class TinySlices {

	private TinySlices() {}

	/** Writes {@code count} pairs {@code image_N_k.png}/{@code mask_N_k.png} (case N = 0, k = 0…) of {@code size}². */
	public static Path write(final Path folder, final int count, final int size, final long seed) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		Files.createDirectories(folder.resolve("mask"));
		final SplittableRandom random = new SplittableRandom(seed);
		for (int k = 0; k < count; k++) {
			final double cx = random.nextDouble(0.3, 0.7) * size, cy = random.nextDouble(0.3, 0.7) * size, r = random.nextDouble(0.15, 0.3) * size;
			final byte[] rgb = new byte[size * size * 3], labels = new byte[size * size];
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++) {
					final boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
					labels[y * size + x] = (byte) (inside ? 1 : 0);
					for (int c = 0; c < 3; c++)
						rgb[(y * size + x) * 3 + c] = (byte) ((inside ? 150 : 40) + random.nextInt(60));
				}
			writePair(folder, "0_" + k, SliceImage.rgb(size, size, rgb), SliceImage.gray(size, size, labels));
		}
		return folder;
	}

	/** Writes one pair named {@code image_ID.png} / {@code mask_ID.png}. */
	public static void writePair(final Path folder, final String id, final SliceImage image, final SliceImage mask) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		Files.createDirectories(folder.resolve("mask"));
		PngCodec.write(folder.resolve("images").resolve("image_" + id + ".png"), image);
		PngCodec.write(folder.resolve("mask").resolve("mask_" + id + ".png"), mask);
	}

	/** Writes {@code count} pairs {@code image_0_k.png}/{@code mask_0_k.png} of {@code side}² with {@link #square} and {@link #squareMask}. */
	public static Path squares(final Path folder, final int count, final int side) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		Files.createDirectories(folder.resolve("mask"));
		for (int s = 0; s < count; s++)
			writePair(folder, "0_" + s, square(side, side, s), squareMask(side, side));
		return folder;
	}

	/** An RGB slice with a bright square in its middle half, on a faint pattern shifted by {@code seed}. */
	public static SliceImage square(final int w, final int h, final int seed) {
		final byte[] b = new byte[w * h * 3];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < 3; c++)
					b[(y * w + x) * 3 + c] = (byte) (inside(x, y, w, h) ? 200 : (x * 7 + y * 3 + seed + c) & 0x3f);
		return new SliceImage(w, h, 3, b);
	}

	/** A 0/1 mask of the square of {@link #square}. */
	public static SliceImage squareMask(final int w, final int h) {
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
