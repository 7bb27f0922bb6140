package io.github.unet3p.bench;

import io.github.unet3p.core.volume.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Encode speed and size of {@link PngCodec} per deflate level on a folder of PNGs:
 * {@code PngBench FOLDER}.
 */
public final class PngBench {

	private PngBench() {}

	public static void main(final String[] args) throws IOException {
		final List<SliceImage> images = new ArrayList<>();
		long rawBytes = 0;
		try (Stream<Path> files = Files.list(Path.of(args[0]))) {
			for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
				final SliceImage img = PngCodec.read(f);
				images.add(img);
				rawBytes += (long) img.width() * img.height() * img.channels();
			}
		}
		for (final int level : new int[] { 1, 3, 6, 9, 1 }) {
			long bytes = 0;
			final long t0 = System.nanoTime();
			for (int rep = 0; rep < 3; rep++)
				for (final SliceImage img : images)
					bytes += PngCodec.encode(img, level).length;
			final double ms = (System.nanoTime() - t0) / 1e6 / (3.0 * images.size());
			System.out.printf("level %d: %.2f ms per image, %.1f%% of raw size (%d images)%n", level, ms, 100.0 * bytes / 3 / rawBytes, images.size());
		}
	}
}
