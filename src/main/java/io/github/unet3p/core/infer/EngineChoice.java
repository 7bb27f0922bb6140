package io.github.unet3p.core.infer;

import java.util.Objects;

import ai.onnxruntime.OrtEnvironment;
import io.github.unet3p.core.model.TorchBuild;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * What {@code engine=auto} runs: {@link InferenceEngine#ONNXRUNTIME} wherever it can run the
 * request, else {@link InferenceEngine#PYTORCH} with the reason; an explicit engine is kept as asked.
 *
 * <p>NB: ONNX Runtime is the plugin's fastest validated CPU path: against the reference recipe's
 * TensorFlow on the same 2-core CPU issue 22 measured 1.5–2.0× for it and 0.6–0.9× for DJL's
 * PyTorch, and {@code src/bench/recipe_infer.sh} under load 0.9–2.3× against 0.3–1.3× (see
 * docs/performance.md); on the bundled sample model both engines give the same labels and
 * probabilities within 1e-4 ({@code OnnxSampleDataTest}). ONNX Runtime runs here on the CPU only,
 * so PyTorch stays the engine for {@link Precision#FP16} (a GPU precision), for a selected CUDA
 * build of PyTorch (it runs on the GPU), and where ONNX Runtime's native library does not load.
 */
public final class EngineChoice {

	/** The engine to open and, when {@code auto} did not pick ONNX Runtime, why (else {@code null}). */
	public record Decision(InferenceEngine engine, String reason) {}

	private EngineChoice() {}

	/** The engine for {@code asked} in {@code precision}; see the class comment for {@code auto}. */
	public static Decision resolve(final InferenceEngine asked, final Precision precision) {
		Objects.requireNonNull(asked, InferenceKeys.ENGINE);
		if (asked != InferenceEngine.AUTO) return new Decision(asked, null);
		if (precision.needsGpu())
			return pytorch(InferenceKeys.PRECISION + "=" + precision + " runs on a GPU, and ONNX Runtime runs on the CPU here");
		final String cuda = cudaSelected();
		if (cuda != null) return pytorch("the PyTorch build selected is a CUDA build (" + cuda + "), which runs on the GPU");
		final String ort = onnxRuntimeProblem();
		if (ort != null) return pytorch("ONNX Runtime cannot start on this platform (" + ort + ")");
		return new Decision(InferenceEngine.ONNXRUNTIME, null);
	}

	private static Decision pytorch(final String why) {
		return new Decision(InferenceEngine.PYTORCH, InferenceKeys.ENGINE + "=" + InferenceKeys.ENGINE_AUTO + ": PyTorch, because " + why + ".");
	}

	/** The CUDA build PyTorch runs (or will run) with, described; {@code null} for a CPU build. */
	private static String cudaSelected() {
		try {
			final TorchBuild build = TorchEngine.loadedBuild().orElseGet(TorchBuild::choose);
			return build.isCuda() ? build.describe() : null;
		}
		catch (final InvalidInputException e) {
			// NB: a broken PyTorch selection is reported by whatever starts PyTorch; ONNX Runtime does not need it.
			return null;
		}
	}

	/** Why ONNX Runtime's native library does not load here; {@code null} when it does. */
	static String onnxRuntimeProblem() {
		try {
			OrtEnvironment.getEnvironment();
			return null;
		}
		catch (final LinkageError | RuntimeException e) {
			return e.getClass().getSimpleName() + ": " + e.getMessage();
		}
	}
}
