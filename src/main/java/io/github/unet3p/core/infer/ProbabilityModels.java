package io.github.unet3p.core.infer;

import java.nio.file.Path;
import java.util.Objects;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The one place that picks the runtime: opens a model bundle on the {@link InferenceEngine} asked
 * for, so that commands and {@link VolumeSegmenter} only ever see a {@link BundleModel}.
 */
public final class ProbabilityModels {

	private ProbabilityModels() {}

	/**
	 * Opens the bundle at {@code path} (a folder or a {@code .zip} of one) on {@code engine} in
	 * {@code precision}.
	 *
	 * @throws InvalidInputException naming the file when the bundle (or, for ONNX Runtime, its
	 *             {@code model.onnx}) cannot be used; see {@link TorchProbabilityModel#open(Path, Precision)}
	 *             and {@link OrtProbabilityModel#open(Path)}
	 */
	public static BundleModel open(final Path path, final InferenceEngine engine, final Precision precision) {
		Objects.requireNonNull(engine, InferenceKeys.ENGINE);
		Objects.requireNonNull(precision, InferenceKeys.PRECISION);
		return switch (engine) {
			case PYTORCH -> TorchProbabilityModel.open(path, precision);
			case ONNXRUNTIME -> OrtProbabilityModel.open(path);
		};
	}
}
