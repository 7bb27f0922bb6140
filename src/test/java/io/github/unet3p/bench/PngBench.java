package io.github.unet3p.bench;

import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Encode speed and size of {@link PngCodec} on a folder of PNGs, its default (runs + Huffman)
 * against the JDK's zlib at several deflate levels: {@code PngBench FOLDER}.
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
		// level −1 is the default encoder (runs + Huffman); the first pass warms the JIT up
		for (final int level : new int[] { -1, 1, -1, 1, 3, 6 }) {
			long bytes = 0;
			final long t0 = System.nanoTime();
			for (int rep = 0; rep < 3; rep++)
				for (final SliceImage img : images)
					bytes += (level < 0 ? PngCodec.encode(img) : PngCodec.encode(img, level)).length;
			final double ms = (System.nanoTime() - t0) / 1e6 / (3.0 * images.size());
			System.out.printf("%s: %.2f ms per image, %.1f%% of raw size (%d images)%n", level < 0 ? "runs + Huffman (default)" : "zlib level " + level, ms,
					100.0 * bytes / 3 / rawBytes, images.size());
		}
	}
}
