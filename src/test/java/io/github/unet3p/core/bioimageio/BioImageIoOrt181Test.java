package io.github.unet3p.core.bioimageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.model.ModelSpec;

/**
 * ONNX Runtime 1.8.1 — the version JDLL (deepImageJ) loads for an opset-13 model — reproduces a
 * package's {@code test_output} from its {@code test_input} with the declared preprocessing within
 * {@value ModelRdf#TOLERANCE}, for batch 1 and 2, in a forked JVM whose class path holds only that
 * ONNX Runtime (copied to {@code target/onnxruntime-1.8.1/} by the build) and the test classes.
 *
 * This plugin's own engines, opened on the package as a model, agree with it as well.
 *
 * <p>A package given by {@code -Dbioimageio.package=<folder>} is checked too, with
 * {@link PackageChecker} first ({@code .ci/run} passes the demo model's package); without it, a
 * package of a tiny bundle made here.
 */
class BioImageIoOrt181Test {

	static final Path ORT_181 = Path.of("target/onnxruntime-1.8.1/onnxruntime-1.8.1.jar");

	@TempDir
	static Path shared;
	static Path made;

	static synchronized Path pkg() throws IOException {
		final String given = System.getProperty("bioimageio.package");
		if (given != null && !given.isEmpty()) return Path.of(given);
		if (made == null) {
			final Path train = shared.resolve("train");
			BioImageIoExportTest.writeSlices(train);
			made = shared.resolve("package");
			BioImageIoExport.write(BioImageIoExportTest.bundle(shared.resolve("model"), train), made, List.of("Ada Lovelace"));
		}
		return made;
	}

	@Test
	void thePackagePassesTheChecks() throws IOException {
		assertEquals(List.of(), PackageChecker.check(pkg()));
	}

	@ParameterizedTest(name = "batch {0}")
	@ValueSource(ints = { 1, 2 })
	void onnxRuntime181ReproducesTheTestOutput(final int batch, @TempDir final Path tmp) throws Exception {
		final Path pkg = pkg();
		final double worst = maxDifference(pkg, batch, tmp);
		System.out.printf("ONNX Runtime 1.8.1, batch %d, %s: max |output - test_output| = %.3g%n", batch, pkg, worst);
		assertTrue(worst <= ModelRdf.TOLERANCE, "batch " + batch + ": max |difference| " + worst);
	}

	/** This plugin's engines, opened on the package as a model, agree with its test output too. */
	@Test
	void thePluginsEnginesReproduceTheTestOutput() throws IOException {
		final Path pkg = pkg();
		final float[] x = NpyFile.read(Files.readAllBytes(pkg.resolve(ModelRdf.TEST_INPUT)), ModelRdf.TEST_INPUT).data().clone();
		for (int i = 0; i < x.length; i++)
			x[i] = (float) (x[i] * ModelRdf.GAIN);
		final float[] want = NpyFile.read(Files.readAllBytes(pkg.resolve(ModelRdf.TEST_OUTPUT)), ModelRdf.TEST_OUTPUT).data();
		for (final InferenceEngine engine : InferenceEngine.values())
			try (BundleModel m = ProbabilityModels.open(pkg, engine, Precision.FP32)) {
				final float[] y = m.predict(x, 1);
				double worst = 0;
				for (int i = 0; i < y.length; i++)
					worst = Math.max(worst, Math.abs(y[i] - want[i]));
				System.out.printf("%s, %s: max |output - test_output| = %.3g%n", engine, pkg, worst);
				assertTrue(worst <= ModelRdf.TOLERANCE, engine + ": max |difference| " + worst);
			}
	}

	/** Every operator the export writes (VGG without BatchNorm, deep supervision, the CGM's GlobalMaxPool/ArgMax/Cast/Mul and sigmoid) runs on 1.8.1. */
	@ParameterizedTest(name = "{0} {1} classes {2}")
	@CsvSource({ "unet3plus_deepsup, vgg16, 2", "unet3plus_deepsup_cgm, unet3plus, 1", "unet3plus, vgg19, 3" })
	void everyVariantRunsOnOnnxRuntime181(final String variant, final String backbone, final int classes, @TempDir final Path tmp) throws Exception {
		final Path bundle = io.github.unet3p.testsupport.TinyBundles.write(tmp.resolve("model"),
				ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(2).optClasses(classes).optSize(32).build(), -200, 250, 6);
		final Path pkg = tmp.resolve("package");
		BioImageIoExport.write(bundle, pkg, List.of("Ada Lovelace"));
		assertEquals(List.of(), PackageChecker.check(pkg));
		final double worst = maxDifference(pkg, 2, tmp);
		assertTrue(worst <= ModelRdf.TOLERANCE, variant + "/" + backbone + ": max |difference| " + worst);
	}

	/** The largest difference between ONNX Runtime 1.8.1's output for {@code batch} copies of the test input and the test output. */
	static double maxDifference(final Path pkg, final int batch, final Path tmp) throws Exception {
		assertTrue(Files.isRegularFile(ORT_181), ORT_181 + " is missing (the build's dependency copy)");
		final Map<String, Object> rdf = PackageChecker.read(pkg);
		final Map<String, Object> input = PackageCheckerTest.tensor(rdf, "inputs"), output = PackageCheckerTest.tensor(rdf, "outputs");
		final double gain = gain(input);
		final Path onnx = pkg.resolve((String) PackageCheckerTest.map(PackageCheckerTest.map(rdf.get("weights")).get("onnx")).get("source"));
		final Path in = pkg.resolve((String) PackageCheckerTest.map(input.get("test_tensor")).get("source"));
		final Path expected = pkg.resolve((String) PackageCheckerTest.map(output.get("test_tensor")).get("source"));
		final Path out = tmp.resolve("out-" + batch + ".raw");
		final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		final String cp = ORT_181.toAbsolutePath() + java.io.File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
		final Process p = new ProcessBuilder(javaBin, "-cp", cp, Ort181Runner.class.getName(), onnx.toString(), in.toString(), Float.toString((float) gain),
				Integer.toString(batch), out.toString()).redirectErrorStream(true).start();
		final String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ONNX Runtime 1.8.1 did not finish");
		assertEquals(0, p.exitValue(), log);
		assertTrue(log.contains("onnxruntime-1.8.1.jar"), "ONNX Runtime came from " + log);
		final float[] want = NpyFile.read(Files.readAllBytes(expected), expected.getFileName().toString()).data();
		final ByteBuffer got = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(batch * want.length * 4, got.capacity(), "output length");
		double worst = 0;
		for (int b = 0; b < batch; b++)
			for (int i = 0; i < want.length; i++)
				worst = Math.max(worst, Math.abs(got.getFloat(4 * (b * want.length + i)) - want[i]));
		return worst;
	}

	/** The gain of the input's scale_linear (1 when there is none). */
	private static double gain(final Map<String, Object> input) {
		double gain = 1;
		for (final Object o : PackageCheckerTest.list(input, "preprocessing")) {
			final Map<String, Object> step = PackageCheckerTest.map(o);
			if ("scale_linear".equals(step.get("id"))) gain *= ((Number) PackageCheckerTest.map(step.get("kwargs")).get("gain")).doubleValue();
			else if (!"ensure_dtype".equals(step.get("id"))) throw new IllegalArgumentException("this test applies scale_linear and ensure_dtype only, not " + step.get("id"));
		}
		return gain;
	}
}
