package io.github.unet3p.core.model.keras;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a whole bundle folder at once: into a hidden sibling folder first, then renamed into
 * place, so that the folder {@code model} holds either the complete new bundle, the previous one,
 * or (when it did not exist) nothing.
 */
final class BundleFolder {

	private BundleFolder() {}

	/**
	 * Checks that {@code model} may be written: absent, an empty folder, or (with
	 * {@code overwrite}) a bundle.
	 *
	 * @throws InvalidInputException naming the key {@code model} otherwise
	 */
	static void checkTarget(final Path model, final boolean overwrite) throws IOException {
		if (!Files.exists(model)) return;
		if (!Files.isDirectory(model)) throw new InvalidInputException("model: " + model + " exists and is not a folder; give a folder for the bundle");
		if (ModelBundle.isBundle(model)) {
			if (!overwrite) throw new InvalidInputException("model: " + model + " already holds a model bundle; set overwrite=true to replace it");
			return;
		}
		try (DirectoryStream<Path> d = Files.newDirectoryStream(model)) {
			if (d.iterator().hasNext())
				throw new InvalidInputException("model: " + model + " is a folder with other files in it; give a new or empty folder");
		}
	}

	/** Writes {@code net}'s weights and {@code bundle}'s spec as the bundle folder {@code model}. */
	static void write(final UNet3PlusNet net, final ModelBundle bundle, final Path model, final boolean overwrite) throws IOException {
		checkTarget(model, overwrite);
		final Path abs = model.toAbsolutePath().normalize();
		final Path parent = abs.getParent();
		Files.createDirectories(parent);
		final String stamp = Long.toString(ProcessHandle.current().pid()) + "-" + System.nanoTime();
		final Path fresh = parent.resolve("." + abs.getFileName() + ".import-" + stamp + ".part");
		final Path old = parent.resolve("." + abs.getFileName() + ".replaced-" + stamp + ".part");
		try {
			Files.createDirectory(fresh);
			ModelWeights.save(net.block(), fresh.resolve(ModelBundle.WEIGHTS_FILE));
			bundle.writeSpec(fresh);
			if (Files.exists(abs)) Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
			Files.move(fresh, abs, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final IOException | RuntimeException e) {
			if (Files.exists(old) && !Files.exists(abs)) Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
			delete(fresh);
			throw e;
		}
		delete(old);
	}

	private static void delete(final Path folder) throws IOException {
		if (!Files.exists(folder)) return;
		try (Stream<Path> files = Files.walk(folder)) {
			for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
		}
	}
}
