package io.github.unet3p.reliability;

import io.github.unet3p.testsupport.TinySlices;
import io.github.unet3p.testsupport.TinyVolumes;
import io.github.unet3p.testsupport.Launch;
import static io.github.unet3p.testsupport.Launch.q;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.onnx.ir.OnnxIr.ModelProto;

/**
 * {@code engine=onnxruntime} with a bundle whose {@code model.onnx} is missing (exported and
 * cached), or truncated, damaged, of another architecture, preparation or weights, or not ours
 * (refused: one message naming the file, exit 1, no output, the bundle untouched).
 */
class OnnxBundlesTest {

	@TempDir
	Path tmp;

	/** Puts something in place of a bundle's {@code model.onnx}; {@code other} is a second bundle folder to export from. */
	@FunctionalInterface
	interface Break {
		void apply(Path onnx, Path tmp) throws IOException;
	}

	private static Path bundle(final Path dir, final int filters, final double huMin, final long seed) throws IOException {
		return TinyBundles.write(dir, ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(32).optClasses(2).build(), huMin, 250, seed);
	}

	/** The export of another bundle ({@code filters}, {@code huMin}, {@code seed}) copied to {@code onnx}. */
	private static Break exportOf(final int filters, final double huMin, final long seed) {
		return (onnx, t) -> {
			final Path other = bundle(t.resolve("other"), filters, huMin, seed);
			OnnxExport.write(other, onnx);
		};
	}

	static Stream<Arguments> brokenExports() {
		return Stream.of(
			Arguments.of("truncated", (Break) (onnx, t) -> {
				OnnxExport.write(bundle(t.resolve("same"), 1, -200, 3), onnx);
				final byte[] b = Files.readAllBytes(onnx);
				Files.write(onnx, java.util.Arrays.copyOf(b, b.length / 2));
			}, new String[] { "model.onnx", "truncated or damaged" }),
			Arguments.of("empty", (Break) (onnx, t) -> Files.write(onnx, new byte[0]), new String[] { "model.onnx", "not an ONNX model with a graph" }),
			Arguments.of("text", (Break) (onnx, t) -> Files.writeString(onnx, "this is not a model\n"), new String[] { "model.onnx", "ONNX" }),
			Arguments.of("another architecture", exportOf(2, -200, 3), new String[] { "model.onnx", "another architecture", "filters '2' (the bundle has '1')" }),
			Arguments.of("another preparation", exportOf(1, -100, 3), new String[] { "model.onnx", "another preparation", "hu_min '-100.0' (the bundle has '-200.0')" }),
			Arguments.of("other weights", exportOf(1, -200, 4), new String[] { "model.onnx", "other weights" }),
			Arguments.of("no metadata", (Break) (onnx, t) -> {
				OnnxExport.write(bundle(t.resolve("same"), 1, -200, 3), onnx);
				Files.write(onnx, ModelProto.parseFrom(Files.readAllBytes(onnx)).toBuilder().clearMetadataProps().build().toByteArray());
			}, new String[] { "model.onnx", "not exported by UNet3+ for Fiji" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenExports")
	void segmentFilesRefusesABrokenExport(final String name, final Break breaker, final String[] fragments) throws IOException {
		final Path model = bundle(tmp.resolve("model"), 1, -200, 3);
		breaker.apply(model.resolve(OnnxExport.FILE), tmp);
		final Map<String, String> before = Launch.snapshot(model);
		final Path in = tmp.resolve("in"), out = tmp.resolve("out");
		TinyVolumes.litsCase(in, 0);
		Launch.run("UNet3+ Segment Files", "model=" + q(model) + ",input=" + q(in.resolve("volume-0.nii")) + ",output=" + q(out) + ",engine='onnxruntime'")
				.refused(fragments);
		assertFalse(Files.exists(out), "no output from a broken export");
		assertEquals(before, Launch.snapshot(model), "the bundle is left as it was");
	}

	@Test
	void evaluateAndBenchmarkRefuseABrokenExportToo() throws IOException {
		final Path model = bundle(tmp.resolve("model"), 1, -200, 3);
		exportOf(2, -200, 3).apply(model.resolve(OnnxExport.FILE), tmp);
		final Path data = TinySlices.squares(tmp.resolve("data"), 2, 32);
		final Path csv = tmp.resolve("dice.csv");
		Launch.run("UNet3+ Evaluate", "model=" + q(model) + ",data=" + q(data) + ",output=" + q(csv) + ",engine='onnxruntime'").refused("model.onnx",
				"another architecture");
		assertFalse(Files.exists(csv));
		Launch.run("UNet3+ Benchmark", "model=" + q(model) + ",batch=1,warmup=0,steps=1,engine='onnxruntime'").refused("model.onnx", "another architecture");
	}

	@Test
	void aMissingExportIsWrittenOnceAndThenReused() throws IOException {
		final Path model = bundle(tmp.resolve("model"), 1, -200, 3);
		final Path onnx = model.resolve(OnnxExport.FILE);
		final Path in = tmp.resolve("in");
		TinyVolumes.litsCase(in, 0);
		Launch.run("UNet3+ Segment Files", "model=" + q(model) + ",input=" + q(in.resolve("volume-0.nii")) + ",output=" + q(tmp.resolve("a.nii.gz"))
				+ ",engine='onnxruntime'").ok();
		assertTrue(Files.isRegularFile(onnx), "the export is cached in the bundle");
		Launch.assertNoPartFiles(model);
		final byte[] first = Files.readAllBytes(onnx);
		final java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(onnx);
		Launch.run("UNet3+ Segment Files", "model=" + q(model) + ",input=" + q(in.resolve("volume-0.nii")) + ",output=" + q(tmp.resolve("b.nii.gz"))
				+ ",engine='onnxruntime'").ok();
		assertArrayEquals(first, Files.readAllBytes(onnx));
		assertEquals(written, Files.getLastModifiedTime(onnx), "the cached export is not rewritten");
		assertArrayEquals(Files.readAllBytes(tmp.resolve("a.nii.gz")), Files.readAllBytes(tmp.resolve("b.nii.gz")));
	}

	@Test
	void anUnknownEngineIsRefusedByName() throws IOException {
		final Path model = bundle(tmp.resolve("model"), 1, -200, 3);
		final Path in = tmp.resolve("in");
		TinyVolumes.litsCase(in, 0);
		Launch.run("UNet3+ Segment Files", "model=" + q(model) + ",input=" + q(in.resolve("volume-0.nii")) + ",output=" + q(tmp.resolve("a.nii.gz"))
				+ ",engine='tensorflow'").refused("engine", "'tensorflow'", "pytorch, onnxruntime");
		assertFalse(Files.exists(tmp.resolve("a.nii.gz")));
		assertFalse(Files.exists(model.resolve(OnnxExport.FILE)));
	}
}
