package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonStreamParser;

/**
 * The SciJava plugin index of a jar ({@value #ENTRY}, written at compile time by SciJava's
 * annotation processor): how Fiji finds the plugin's commands and their menu entries without
 * loading its classes.
 */
public final class PluginIndex {

	/** The index entry inside a jar. */
	public static final String ENTRY = "META-INF/json/org.scijava.plugin.Plugin";

	private static final String COMMAND = "org.scijava.command.Command";

	private PluginIndex() {}

	/**
	 * The indexed commands of {@code jar}: class name to menu path ({@code null} when a command
	 * has none); empty when the jar has no index.
	 *
	 * @throws IOException if the jar or its index cannot be read
	 */
	public static Map<String, String> commands(final Path jar) throws IOException {
		final Map<String, String> out = new TreeMap<>();
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			final ZipEntry entry = zip.getEntry(ENTRY);
			if (entry == null) return out;
			try (Reader in = new InputStreamReader(zip.getInputStream(entry), StandardCharsets.UTF_8)) {
				// NB: the index is a sequence of JSON objects, not one array.
				final JsonStreamParser parser = new JsonStreamParser(in);
				while (parser.hasNext()) {
					final JsonObject plugin = parser.next().getAsJsonObject();
					final JsonObject values = plugin.getAsJsonObject("values");
					if (values == null || !values.has("type") || !COMMAND.equals(values.get("type").getAsString())) continue;
					final JsonElement menu = values.get("menuPath");
					out.put(plugin.get("class").getAsString(), menu == null ? null : menu.getAsString());
				}
			}
			catch (final JsonParseException | IllegalStateException e) {
				throw new IOException(jar + ": " + ENTRY + " is not a SciJava plugin index: " + e.getMessage(), e);
			}
		}
		return out;
	}
}
