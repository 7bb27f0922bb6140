package io.github.unet3p.core.infer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The one place that picks the runtime: opens a model bundle on the {@link InferenceEngine} asked
 * for ({@link InferenceEngine#AUTO}: as {@link EngineChoice} decides), so that commands and
 * {@link VolumeSegmenter} only ever see a {@link BundleModel}.
 */
public final class ProbabilityModels {

	private ProbabilityModels() {}

	/** {@link #open(Path, InferenceEngine, Precision, int, Consumer)} with default threads and no messages. */
	public static BundleModel open(final Path path, final InferenceEngine engine, final Precision precision) {
		return open(path, engine, precision, 0, m -> {});
	}

	/**
	 * Opens the bundle at {@code path} (a folder or a {@code .zip} of one) on {@code engine} in
	 * {@code precision}; {@code threads} intra-op threads for ONNX Runtime (0: one per processor).
	 * For {@link InferenceEngine#AUTO}, {@code messages} hears why PyTorch runs instead of ONNX
	 * Runtime, and that a stale or unreadable cached {@code model.onnx} was exported again or a
	 * read-only bundle's export is kept in memory.
	 *
	 * <p>NB: under {@code auto}, a bundle ONNX Runtime refuses (its graph, not the bundle) is opened
	 * on PyTorch instead, saying so; an explicit {@code engine=onnxruntime} refuses it by name.
	 *
	 * @throws InvalidInputException naming the file when the bundle (or, for ONNX Runtime, its
	 *             {@code model.onnx}) cannot be used; see {@link TorchProbabilityModel#open(Path, Precision)}
	 *             and {@link OrtProbabilityModel#open(Path)}
	 */
	public static BundleModel open(final Path path, final InferenceEngine engine, final Precision precision, final int threads,
			final Consumer<String> messages) {
		Objects.requireNonNull(engine, InferenceKeys.ENGINE);
		Objects.requireNonNull(precision, InferenceKeys.PRECISION);
		final EngineChoice.Decision choice = EngineChoice.resolve(engine, precision);
		if (choice.reason() != null) messages.accept(choice.reason());
		if (choice.engine() == InferenceEngine.PYTORCH) return TorchProbabilityModel.open(path, precision);
		if (engine != InferenceEngine.AUTO) return OrtProbabilityModel.open(path, threads);
		try {
			return OrtProbabilityModel.open(path, threads, messages);
		}
		catch (final OrtProbabilityModel.RefusedGraphException e) {
			messages.accept(InferenceKeys.ENGINE + "=" + InferenceKeys.ENGINE_AUTO + ": PyTorch, because " + e.getMessage());
			return TorchProbabilityModel.open(path, precision);
		}
	}
}
