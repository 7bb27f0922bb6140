package io.github.unet3p.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.train.Trainer;
import io.github.unet3p.core.train.TrainingLog;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

/**
 * Checks what a killed run left behind, for {@code src/test/scripts/kill_resume.sh}. Prints one
 * line and exits 0 when the check passes, 1 when it fails.
 *
 * <pre>
 * KillCheck model &lt;folder&gt;   training/log.csv parses (epochs 0, 1, ... in order); the bundle, if any, reads and its weights load
 * KillCheck pngs &lt;folder&gt;    every *.png under images/ and mask/ decodes completely; prints the count and leftover .part files
 * </pre>
 */
public final class KillCheck {

	private KillCheck() {}

	/** Runs one check; see the class comment. */
	public static void main(final String... args) {
		try {
			final String result = switch (args[0]) {
				case "model" -> model(Path.of(args[1]));
				case "pngs" -> pngs(Path.of(args[1]));
				default -> throw new IllegalArgumentException("unknown check " + args[0]);
			};
			System.out.println("ok: " + result);
			System.exit(0);
		}
		catch (final Exception | Error e) {
			System.out.println("FAILED: " + e);
			System.exit(1);
		}
	}

	private static String model(final Path folder) throws IOException {
		final Path log = folder.resolve(Trainer.TRAINING_DIR).resolve(Trainer.LOG_FILE);
		int rows = 0;
		if (Files.exists(log)) {
			final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			if (lines.isEmpty() || !lines.get(0).equals(TrainingLog.HEADER)) throw new IllegalStateException(log + ": header is " + lines);
			rows = TrainingLog.read(log, Integer.MAX_VALUE).rows().size();
			for (int i = 0; i < rows; i++)
				if (!lines.get(i + 1).startsWith(i + ",")) throw new IllegalStateException(log + ": row " + (i + 1) + " is not epoch " + i + ": " + lines.get(i + 1));
		}
		String weights = "no bundle yet";
		if (ModelBundle.isBundle(folder)) {
			try (NDManager m = TorchEngine.get().newBaseManager()) {
				ModelBundle.read(folder).loadNetwork(folder, m);
			}
			weights = "bundle loads";
		}
		return rows + " log row(s), " + weights;
	}

	private static String pngs(final Path folder) throws IOException {
		int count = 0, parts = 0;
		for (final String sub : new String[] { "images", "mask" }) {
			final Path dir = folder.resolve(sub);
			if (!Files.isDirectory(dir)) continue;
			try (Stream<Path> files = Files.list(dir)) {
				for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
					final String name = f.getFileName().toString();
					if (name.endsWith(".part")) parts++;
					else if (name.endsWith(".png")) {
						final SliceImage s = PngCodec.read(f); // throws for a torn file
						if (s.width() <= 0) throw new IllegalStateException(f + " is empty");
						count++;
					}
				}
			}
		}
		return count + " complete PNG(s), " + parts + " leftover temporary file(s)";
	}
}
