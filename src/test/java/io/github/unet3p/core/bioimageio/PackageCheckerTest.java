package io.github.unet3p.core.bioimageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * {@link PackageChecker} catches each defect: a valid package's {@code rdf.yaml} mutated one field
 * at a time, and its files damaged one at a time, each gives a problem naming the field.
 */
class PackageCheckerTest {

	@TempDir
	static Path shared;
	static Path valid;

	@TempDir
	Path tmp;

	@BeforeAll
	static void export() throws IOException {
		final Path train = shared.resolve("train");
		BioImageIoExportTest.writeSlices(train);
		final Path bundle = BioImageIoExportTest.bundle(shared.resolve("model"), train);
		valid = shared.resolve("package");
		BioImageIoExport.write(bundle, valid, List.of("Ada Lovelace"));
		assertEquals(List.of(), PackageChecker.check(valid), "the unmutated package passes");
	}

	static Stream<Arguments> mutations() {
		return Stream.of(
				m("format_version missing", r -> r.remove("format_version"), "format_version"),
				m("format_version 0.4", r -> r.put("format_version", "0.4.10"), "format_version"),
				m("format_version a number", r -> r.put("format_version", 0.5), "format_version"),
				m("type", r -> r.put("type", "dataset"), "type"),
				m("name with a slash", r -> r.put("name", "UNet3+ liver/CT"), "name"),
				m("name too short", r -> r.put("name", "U3"), "name"),
				m("description missing", r -> r.remove("description"), "description"),
				m("authors empty", r -> r.put("authors", List.of()), "authors"),
				m("author without name", r -> list(r, "authors").set(0, Map.of("affiliation", "x")), "authors[0]"),
				m("cite without doi or url", r -> map(list(r, "cite").get(0)).remove("doi"), "cite[0]"),
				m("cite with a bad doi", r -> map(list(r, "cite").get(0)).put("doi", "ICASSP 2020"), "cite[0].doi"),
				m("cite with a bad url", r -> map(list(r, "cite").get(1)).put("url", "github.com/NVIDIA"), "cite[1].url"),
				m("license not SPDX", r -> r.put("license", "Apache 2"), "license"),
				m("documentation not .md", r -> r.put("documentation", "README.txt"), "documentation"),
				m("documentation missing", r -> r.put("documentation", "NOTES.md"), "documentation"),
				m("covers empty", r -> r.put("covers", List.of()), "covers"),
				m("cover of another format", r -> r.put("covers", List.of("cover.bmp")), "covers[0]"),
				m("timestamp", r -> r.put("timestamp", "yesterday"), "timestamp"),
				m("inputs missing", r -> r.remove("inputs"), "inputs"),
				m("space axis without id", r -> axis(r, "inputs", 2).remove("id"), "inputs[0].axes[2].id"),
				m("duplicate axis id", r -> axis(r, "inputs", 3).put("id", "y"), "inputs[0].axes[3].id"),
				m("axis type", r -> axis(r, "inputs", 0).put("type", "batches"), "inputs[0].axes[0].type"),
				m("channel without names", r -> axis(r, "outputs", 1).remove("channel_names"), "outputs[0].axes[1].channel_names"),
				m("space axis size text", r -> axis(r, "inputs", 2).put("size", "320"), "inputs[0].axes[2].size"),
				m("space axis size differs from the test tensor", r -> axis(r, "inputs", 3).put("size", 31), "inputs[0].test_tensor"),
				m("batch axis size 2", r -> axis(r, "inputs", 0).put("size", 2), "inputs[0].axes[0].size"),
				m("tensor id not lower case", r -> tensor(r, "inputs").put("id", "Image"), "inputs[0].id"),
				m("duplicate tensor id", r -> tensor(r, "outputs").put("id", tensor(r, "inputs").get("id")), "outputs[0].id"),
				m("data type", r -> tensor(r, "inputs").put("data", Map.of("type", "float16")), "inputs[0].data.type"),
				m("preprocessing id", r -> map(list(tensor(r, "inputs"), "preprocessing").get(1)).put("id", "normalize"), "inputs[0].preprocessing[1].id"),
				m("redundant scale_linear", r -> map(list(tensor(r, "inputs"), "preprocessing").get(1)).put("kwargs", Map.of("gain", 1.0, "offset", 0.0)),
						"inputs[0].preprocessing[1].kwargs"),
				m("ensure_dtype without dtype", r -> map(list(tensor(r, "inputs"), "preprocessing").get(0)).put("kwargs", Map.of()), "inputs[0].preprocessing[0].kwargs.dtype"),
				m("postprocessing id", r -> map(list(tensor(r, "outputs"), "postprocessing").get(0)).put("id", "argmax"), "outputs[0].postprocessing[0].id"),
				m("test tensor missing", r -> tensor(r, "outputs").remove("test_tensor"), "outputs[0].test_tensor"),
				m("test tensor not .npy", r -> map(tensor(r, "inputs").get("test_tensor")).put("source", "sample_input.png"), "inputs[0].test_tensor.source"),
				m("test tensor sha256", r -> map(tensor(r, "inputs").get("test_tensor")).put("sha256", "0".repeat(64)), "inputs[0].test_tensor.sha256"),
				m("test tensor outside", r -> map(tensor(r, "inputs").get("test_tensor")).put("source", "../package/test_input.npy"), "inputs[0].test_tensor.source"),
				m("weights without onnx", r -> r.put("weights", Map.of()), "weights"),
				m("opset a text", r -> map(map(r.get("weights")).get("onnx")).put("opset_version", "13"), "weights.onnx.opset_version"),
				m("opset JDLL does not map", r -> map(map(r.get("weights")).get("onnx")).put("opset_version", 19), "weights.onnx.opset_version"),
				m("weights sha256", r -> map(map(r.get("weights")).get("onnx")).put("sha256", "a".repeat(64)), "weights.onnx.sha256"),
				m("weights sha256 missing", r -> map(map(r.get("weights")).get("onnx")).remove("sha256"), "weights.onnx.sha256"),
				m("attachment sha256", r -> map(list(r, "attachments").get(1)).put("sha256", "b".repeat(64)), "attachments[1].sha256"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mutations")
	void eachMutatedFieldIsCaught(final String what, final Consumer<Map<String, Object>> mutation, final String field) throws IOException {
		final Map<String, Object> rdf = PackageChecker.read(valid);
		mutation.accept(rdf);
		final List<String> problems = PackageChecker.check(rdf, valid);
		assertTrue(problems.stream().anyMatch(p -> p.startsWith(field + ":")), what + ": expected a problem of " + field + ", got " + problems);
	}

	@Test
	void eachDamagedFileIsCaught() throws IOException {
		assertCaught("rdf.yaml missing", f -> Files.delete(f.resolve("rdf.yaml")), "rdf.yaml");
		assertCaught("rdf.yaml as JSON", f -> Files.writeString(f.resolve("rdf.yaml"), new com.google.gson.Gson().toJson(PackageChecker.read(f))), "rdf.yaml");
		assertCaught("weights changed", f -> flipLastByte(f.resolve("model.onnx")), "weights.onnx.sha256");
		assertCaught("attachment changed", f -> flipLastByte(f.resolve("weights.params")), "attachments[1].sha256");
		assertCaught("test output header", f -> {
			final byte[] b = Files.readAllBytes(f.resolve(ModelRdf.TEST_OUTPUT));
			final int length = (b[8] & 0xff) | (b[9] & 0xff) << 8;
			final String h = String.format("%-" + (length - 1) + "s\n", "{'descr': '<f4', 'shape': (1, 2, 32, 32), 'fortran_order': False}");
			System.arraycopy(h.getBytes(StandardCharsets.US_ASCII), 0, b, 10, length);
			Files.write(f.resolve(ModelRdf.TEST_OUTPUT), b);
			resign(f, ModelRdf.TEST_OUTPUT);
		}, "outputs[0].test_tensor");
		assertCaught("test input float64", f -> {
			final byte[] b = Files.readAllBytes(f.resolve(ModelRdf.TEST_INPUT));
			b[22] = '8'; // '<f4' -> '<f8'
			Files.write(f.resolve(ModelRdf.TEST_INPUT), b);
			resign(f, ModelRdf.TEST_INPUT);
		}, "inputs[0].test_tensor");
		assertCaught("no Validation section", f -> {
			Files.writeString(f.resolve(ModelRdf.DOCUMENTATION), Files.readString(f.resolve(ModelRdf.DOCUMENTATION)).replace("alidation", "erification"));
		}, "documentation");
		assertCaught("cover of 3:1", f -> io.github.unet3p.core.volume.png.PngCodec.write(f.resolve(ModelRdf.COVER),
				io.github.unet3p.core.volume.SliceImage.gray(30, 10, new byte[300])), "covers[0]");
	}

	interface Damage {
		void apply(Path folder) throws IOException;
	}

	private void assertCaught(final String what, final Damage damage, final String field) throws IOException {
		final Path copy = tmp.resolve(what.replace(' ', '_'));
		try (Stream<Path> s = Files.walk(valid)) {
			for (final Path p : s.toList()) {
				final Path t = copy.resolve(valid.relativize(p).toString());
				if (Files.isDirectory(p)) Files.createDirectories(t);
				else Files.copy(p, t);
			}
		}
		damage.apply(copy);
		final List<String> problems = PackageChecker.check(copy);
		assertTrue(problems.stream().anyMatch(p -> p.startsWith(field)), what + ": expected a problem of " + field + ", got " + problems);
	}

	/** Rewrites the sha256 of {@code file} in the copy's rdf.yaml, so that only the damage itself remains. */
	private static void resign(final Path folder, final String file) throws IOException {
		final Path rdf = folder.resolve("rdf.yaml");
		final String text = Files.readString(rdf);
		final String old = io.github.unet3p.core.onnx.OnnxMetadata.sha256(valid.resolve(file)), now = io.github.unet3p.core.onnx.OnnxMetadata.sha256(folder.resolve(file));
		Files.writeString(rdf, text.replace(old, now));
	}

	private static void flipLastByte(final Path f) throws IOException {
		final byte[] b = Files.readAllBytes(f);
		b[b.length - 1] ^= 1;
		Files.write(f, b);
	}

	private static Arguments m(final String what, final Consumer<Map<String, Object>> mutation, final String field) {
		return Arguments.of(what, mutation, field);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(final Object o) {
		return (Map<String, Object>) o;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(final Map<String, Object> m, final String key) {
		return (List<Object>) m.get(key);
	}

	static Map<String, Object> tensor(final Map<String, Object> r, final String io) {
		return map(list(r, io).get(0));
	}

	static Map<String, Object> axis(final Map<String, Object> r, final String io, final int i) {
		return map(list(tensor(r, io), "axes").get(i));
	}

	static {
		// NB: SnakeYAML is the reader under test (as in JDLL); keep its class referenced so a missing test dependency fails loudly here.
		new Yaml();
	}
}
