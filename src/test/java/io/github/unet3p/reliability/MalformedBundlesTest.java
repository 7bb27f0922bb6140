package io.github.unet3p.reliability;

import static io.github.unet3p.testsupport.Launch.q;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.testsupport.TinyVolumes;

/**
 * Broken model bundles: refused by {@link ModelBundle#read} + {@link ModelBundle#loadNetwork} with
 * an {@link InvalidInputException} naming the file, and by {@code UNet3+ Segment Files} through the
 * launcher with one message, no stack trace and no output.
 */
class MalformedBundlesTest {

	@TempDir
	Path tmp;

	/** Breaks a valid bundle folder (filters 1, size 32) and returns the path to give as the model. */
	@FunctionalInterface
	interface Break {
		Path apply(Path bundle, Path tmp) throws IOException;
	}

	private static Path writeBundle(final Path dir, final int filters) throws IOException {
		return TinyBundles.write(dir, ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(32).build(), -200, 250, 3);
	}

	private static Break spec(final java.util.function.Consumer<JsonObject> change) {
		return (b, t) -> {
			final Path f = b.resolve(ModelBundle.SPEC_FILE);
			final JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
			change.accept(o);
			Files.writeString(f, o.toString());
			return b;
		};
	}

	static Stream<Arguments> brokenBundles() {
		return Stream.of(
			Arguments.of("no such folder", (Break) (b, t) -> t.resolve("nowhere"), new String[] { "nowhere" }),
			Arguments.of("missing spec", (Break) (b, t) -> {
				Files.delete(b.resolve(ModelBundle.SPEC_FILE));
				return b;
			}, new String[] { "has no unet3p.json" }),
			Arguments.of("missing weights", (Break) (b, t) -> {
				Files.delete(b.resolve(ModelBundle.WEIGHTS_FILE));
				return b;
			}, new String[] { "has no weights.params" }),
			Arguments.of("truncated weights", (Break) (b, t) -> {
				final Path w = b.resolve(ModelBundle.WEIGHTS_FILE);
				final byte[] all = Files.readAllBytes(w);
				Files.write(w, Arrays.copyOf(all, all.length / 2));
				return b;
			}, new String[] { "weights.params", "truncated" }),
			Arguments.of("empty weights", (Break) (b, t) -> {
				Files.write(b.resolve(ModelBundle.WEIGHTS_FILE), new byte[0]);
				return b;
			}, new String[] { "weights.params", "not a UNet3+ weights file" }),
			Arguments.of("weights with trailing bytes", (Break) (b, t) -> {
				Files.write(b.resolve(ModelBundle.WEIGHTS_FILE), new byte[] { 1, 2, 3 }, java.nio.file.StandardOpenOption.APPEND);
				return b;
			}, new String[] { "weights.params", "trailing bytes" }),
			Arguments.of("corrupt JSON", (Break) (b, t) -> {
				Files.writeString(b.resolve(ModelBundle.SPEC_FILE), "{\"format\": \"unet3p-fiji-model\", \"archi");
				return b;
			}, new String[] { "unet3p.json", "not valid JSON" }),
			Arguments.of("JSON that is not an object", (Break) (b, t) -> {
				Files.writeString(b.resolve(ModelBundle.SPEC_FILE), "[1, 2]");
				return b;
			}, new String[] { "unet3p.json", "not a JSON object" }),
			Arguments.of("unknown format", spec(o -> o.addProperty("format", "keras-h5")), new String[] { "unet3p.json", "not a UNet3+ for Fiji model spec" }),
			Arguments.of("format version 0", spec(o -> o.addProperty("format_version", 0)), new String[] { "unet3p.json", "invalid format version 0" }),
			Arguments.of("bundle from a newer version", spec(o -> o.addProperty("format_version", ModelBundle.FORMAT_VERSION + 1)),
					new String[] { "unet3p.json", "format version " + (ModelBundle.FORMAT_VERSION + 1), "Update the plugin" }),
			Arguments.of("format version as text", spec(o -> o.addProperty("format_version", "two")), new String[] { "unet3p.json", "wrong type" }),
			Arguments.of("no architecture", spec(o -> o.remove("architecture")), new String[] { "unet3p.json", "missing", "variant" }),
			Arguments.of("unknown variant", spec(o -> o.getAsJsonObject("architecture").addProperty("variant", "unet9")),
					new String[] { "unet3p.json", "variant", "unet9" }),
			Arguments.of("absurd width", spec(o -> o.getAsJsonObject("architecture").addProperty("filters", 1_000_000)),
					new String[] { "unet3p.json", "filters" }),
			Arguments.of("size not a multiple of 16", spec(o -> o.getAsJsonObject("architecture").addProperty("size", 40)),
					new String[] { "unet3p.json", "size", "multiple of 16" }),
			Arguments.of("weights of another architecture", (Break) (b, t) -> {
				final Path other = writeBundle(Files.createDirectories(t.resolve("other")), 2);
				Files.copy(other.resolve(ModelBundle.WEIGHTS_FILE), b.resolve(ModelBundle.WEIGHTS_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				return b;
			}, new String[] { "weights.params", "shape" }),
			Arguments.of("weights that are text", (Break) (b, t) -> {
				Files.writeString(b.resolve(ModelBundle.WEIGHTS_FILE), "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n");
				return b;
			}, new String[] { "weights.params", "not a UNet3+ weights file" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenBundles")
	void readingABrokenBundleNamesTheFile(final String name, final Break breaker, final String[] fragments) throws IOException {
		final Path model = breaker.apply(writeBundle(Files.createDirectories(tmp.resolve("model")), 1), tmp);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
			try (NDManager m = TorchEngine.get().newBaseManager()) {
				ModelBundle.read(model).loadNetwork(model, m);
			}
		});
		for (final String f : fragments)
			assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenBundles")
	void segmentFilesRefusesABrokenBundle(final String name, final Break breaker, final String[] fragments) throws IOException {
		final Path model = breaker.apply(writeBundle(Files.createDirectories(tmp.resolve("model")), 1), tmp);
		final Path in = tmp.resolve("in"), out = tmp.resolve("out");
		TinyVolumes.litsCase(in, 0);
		Launch.run("UNet3+ Segment Files", "model=" + q(model) + ",input=" + q(in.resolve("volume-0.nii")) + ",output=" + q(out)).refused(fragments);
		assertFalse(Files.exists(out), "no output from a broken model");
	}

	/** NB: the spec's "weights" field is informative only; the weights are always the bundle's own weights.params. */
	@Test
	void aSpecFieldNamingAnotherFileNeverLeavesTheBundle() throws IOException {
		final Path model = writeBundle(Files.createDirectories(tmp.resolve("model")), 1);
		final Path decoy = Files.createDirectories(tmp.resolve("decoy"));
		Files.writeString(decoy.resolve("weights.params"), "not weights");
		spec(o -> o.addProperty("weights", "../decoy/weights.params")).apply(model, tmp);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = ModelBundle.read(model).loadNetwork(model, m);
			final UNet3PlusNet twin = UNet3Plus.builder().setSpec(net.spec()).build();
			twin.initialize(m, 3);
			assertArrayEquals(twin.block().getParameters().get(0).getValue().getArray().toFloatArray(),
					net.block().getParameters().get(0).getValue().getArray().toFloatArray(), "the bundle's own weights were loaded");
		}
		assertTrue(Files.readString(decoy.resolve("weights.params"), StandardCharsets.UTF_8).equals("not weights"));
	}
}
