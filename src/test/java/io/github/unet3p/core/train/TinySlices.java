package io.github.unet3p.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

/**
 * Writes tiny prepared datasets in the seed's layout for trainer tests: each slice is a bright
 * disk (label 1) of seeded position and radius on a dark, noisy background (label 0).
 */
final class TinySlices {

	private TinySlices() {}

	/** Writes {@code count} pairs {@code image_N_k.png}/{@code mask_N_k.png} (case N = 0, k = 0…) of {@code size}². */
	static Path write(final Path folder, final int count, final int size, final long seed) throws IOException {
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
	static void writePair(final Path folder, final String id, final SliceImage image, final SliceImage mask) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		Files.createDirectories(folder.resolve("mask"));
		PngCodec.write(folder.resolve("images").resolve("image_" + id + ".png"), image);
		PngCodec.write(folder.resolve("mask").resolve("mask_" + id + ".png"), mask);
	}
}
