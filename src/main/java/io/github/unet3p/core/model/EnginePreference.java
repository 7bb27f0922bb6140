package io.github.unet3p.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/** The PyTorch build a user chose for the next start ({@code UNet3+ Engine}), in {@value TorchBuild#PREFERENCE_FILE}. */
final class EnginePreference {

	private EnginePreference() {}

	/** The saved preference ({@code torch}, {@code flavor}), empty when there is none. */
	static Properties read(final Path home) {
		final Properties p = new Properties();
		final Path file = home.resolve(TorchBuild.PREFERENCE_FILE);
		if (!Files.isRegularFile(file)) return p;
		try (InputStream in = Files.newInputStream(file)) {
			p.load(in);
		}
		catch (final IOException | IllegalArgumentException e) {
			throw new InvalidInputException(file + " is not a readable preference file (" + e.getMessage() + "); delete it or save the preference again.");
		}
		return p;
	}

	/**
	 * Saves {@code value} ({@code cpu}, {@code cuda} or a folder; {@code flavor} optional, for a
	 * folder) as the preference the next JVM starts with, after checking it as
	 * {@link TorchBuild#choose(TorchBuild.Environment)} would.
	 *
	 * @return the build the preference chooses
	 * @throws InvalidInputException as {@link TorchBuild#choose(TorchBuild.Environment)}; nothing is written then
	 */
	static TorchBuild save(final TorchBuild.Environment env, final String value, final String flavor) throws IOException {
		final Map<String, String> vars = new LinkedHashMap<>(env.variables());
		vars.remove(TorchBuild.ENV);
		vars.remove(TorchBuild.FLAVOR_ENV);
		vars.put(TorchBuild.ENV, value);
		if (flavor != null && !flavor.isBlank()) vars.put(TorchBuild.FLAVOR_ENV, flavor.trim());
		final Map<String, String> props = new LinkedHashMap<>(env.properties());
		props.remove(TorchBuild.PROPERTY);
		props.remove(TorchBuild.FLAVOR_PROPERTY);
		final TorchBuild checked = TorchBuild.choose(new TorchBuild.Environment(vars, props, env.classifier()));
		final Path home = TorchBuild.home(env);
		final StringBuilder text = new StringBuilder("# UNet3+ for Fiji: the PyTorch build the next start loads (UNet3+ Engine writes this file)\n");
		final Properties out = new Properties();
		out.setProperty("torch", checked.kind() == TorchBuild.Kind.FOLDER ? checked.folder().orElseThrow().toString() : checked.kind().key());
		if (checked.kind() == TorchBuild.Kind.FOLDER) out.setProperty("flavor", checked.flavor());
		final java.io.StringWriter w = new java.io.StringWriter();
		out.store(w, null);
		w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.append(l).append('\n'));
		Files.createDirectories(home);
		AtomicFiles.write(home.resolve(TorchBuild.PREFERENCE_FILE), text.toString().getBytes(StandardCharsets.ISO_8859_1));
		return checked;
	}
}
