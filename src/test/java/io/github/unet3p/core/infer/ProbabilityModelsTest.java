package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.testsupport.TinyBundles;

/**
 * {@code engine=auto}, the default: ONNX Runtime with the export cached in the bundle, PyTorch's
 * probabilities to 1e-4; a stale cached export replaced, saying so; fp16 left to PyTorch with the
 * reason; explicit engines kept. (Labels on a trained model: {@code OnnxSampleDataTest}.)
 */
class ProbabilityModelsTest {

	@TempDir
	Path tmp;

	private static Path bundle(final Path dir, final long seed) throws IOException {
		return TinyBundles.write(dir, ModelSpec.builder().optBackbone("unet3plus").optFilters(2).optSize(32).optClasses(2).build(), -200, 250, seed);
	}

	private static float[] batch(final int n) {
		final SplittableRandom r = new SplittableRandom(11);
		final float[] x = new float[n * 3 * 32 * 32];
		for (int i = 0; i < x.length; i++)
			x[i] = (float) r.nextDouble();
		return x;
	}

	@Test
	void theDefaultIsAutoAndAutoRunsOnnxRuntimeWithPyTorchsProbabilities() throws IOException {
		assertEquals(InferenceEngine.AUTO, InferenceEngine.DEFAULT);
		final Path model = bundle(tmp.resolve("m"), 3);
		final List<String> messages = new ArrayList<>();
		try (BundleModel auto = ProbabilityModels.open(model, InferenceEngine.DEFAULT, Precision.FP32, 0, messages::add);
				BundleModel torch = ProbabilityModels.open(model, InferenceEngine.PYTORCH, Precision.FP32)) {
			assertEquals(InferenceEngine.ONNXRUNTIME, auto.engine());
			assertEquals(List.of(), messages, "nothing to say when ONNX Runtime runs");
			assertTrue(Files.isRegularFile(model.resolve(OnnxExport.FILE)), "the export is cached in the bundle");
			final float[] x = batch(3);
			final float[] a = auto.predict(x, 3), t = torch.predict(x, 3);
			assertEquals(t.length, a.length);
			double max = 0;
			for (int i = 0; i < a.length; i++)
				max = Math.max(max, Math.abs(a[i] - t[i]));
			assertTrue(max <= 1e-4, "max |auto - pytorch| = " + max);
		}
	}

	@Test
	void autoExportsAStaleCacheAgainWhereAnExplicitEngineRefusesIt() throws IOException {
		final Path model = bundle(tmp.resolve("m"), 3);
		OnnxExport.write(bundle(tmp.resolve("other"), 4), model.resolve(OnnxExport.FILE));
		final InvalidInputException refused = assertThrows(InvalidInputException.class,
				() -> ProbabilityModels.open(model, InferenceEngine.ONNXRUNTIME, Precision.FP32).close());
		assertTrue(refused.getMessage().contains("other weights"), refused.getMessage());
		final List<String> messages = new ArrayList<>();
		try (BundleModel auto = ProbabilityModels.open(model, InferenceEngine.AUTO, Precision.FP32, 0, messages::add)) {
			assertEquals(InferenceEngine.ONNXRUNTIME, auto.engine());
		}
		assertEquals(1, messages.size(), messages.toString());
		assertTrue(messages.get(0).startsWith("engine=auto: exporting " + model.resolve(OnnxExport.FILE) + " again"), messages.get(0));
		ProbabilityModels.open(model, InferenceEngine.ONNXRUNTIME, Precision.FP32).close(); // the cache now matches
	}

	@Test
	void autoLeavesFp16ToPyTorchSayingWhy() throws IOException {
		final EngineChoice.Decision d = EngineChoice.resolve(InferenceEngine.AUTO, Precision.FP16);
		assertEquals(InferenceEngine.PYTORCH, d.engine());
		assertEquals("engine=auto: PyTorch, because precision=fp16 runs on a GPU, and ONNX Runtime runs on the CPU here.", d.reason());
		final Path model = bundle(tmp.resolve("m"), 3);
		final List<String> messages = new ArrayList<>();
		// on this CPU-only machine PyTorch then refuses fp16 exactly as engine=pytorch does
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> ProbabilityModels.open(model, InferenceEngine.AUTO, Precision.FP16, 0, messages::add).close());
		assertTrue(e.getMessage().startsWith("precision=fp16 runs on a GPU only"), e.getMessage());
		assertEquals(List.of(d.reason()), messages);
		assertFalse(Files.exists(model.resolve(OnnxExport.FILE)), "nothing exported for PyTorch");
	}

	@Test
	void explicitEnginesAreKeptAndOnnxRuntimeLoadsHere() {
		for (final Precision p : List.of(Precision.FP32, Precision.FP32_FOLDED)) {
			assertEquals(new EngineChoice.Decision(InferenceEngine.PYTORCH, null), EngineChoice.resolve(InferenceEngine.PYTORCH, p));
			assertEquals(new EngineChoice.Decision(InferenceEngine.ONNXRUNTIME, null), EngineChoice.resolve(InferenceEngine.ONNXRUNTIME, p));
			assertEquals(new EngineChoice.Decision(InferenceEngine.ONNXRUNTIME, null), EngineChoice.resolve(InferenceEngine.AUTO, p));
		}
		assertNull(EngineChoice.onnxRuntimeProblem());
		assertArrayEquals(new String[] { "auto", "pytorch", "onnxruntime" }, InferenceEngine.keys());
		assertEquals(InferenceEngine.AUTO, InferenceEngine.fromKey(""));
	}
}
