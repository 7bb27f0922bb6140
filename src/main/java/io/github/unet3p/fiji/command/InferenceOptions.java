package io.github.unet3p.fiji.command;

import java.io.File;
import java.util.function.Consumer;

import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModels;

/**
 * The inference options that {@code UNet3+ Segment} and {@code UNet3+ Segment Files} share (and
 * {@code precision}, which {@code UNet3+ Evaluate} and {@code UNet3+ Benchmark} also take). Each
 * command declares them as parameters named by {@link io.github.unet3p.core.infer.InferenceKeys}
 * (a SciJava key is its field name); this turns them into settings and opens the model in the
 * chosen precision, on the chosen engine.
 */
final class InferenceOptions {

	/** Default of Segment's {@code outline} key: outline the labels on the input image. */
	static final boolean DEFAULT_OUTLINE = true;
	/** Dialog label of the {@code precision} key. */
	static final String PRECISION_LABEL = "Precision";
	/** Dialog description of the {@code precision} key. */
	static final String PRECISION_DESCRIPTION = "fp32 = as trained (default); fp32_folded = BatchNorm folded into the convolutions: faster, same labels up to float rounding; fp16 = half precision, GPU only";

	/** Dialog label of the {@code engine} key. */
	static final String ENGINE_LABEL = "Engine";
	/** Dialog description of the {@code engine} key. */
	static final String ENGINE_DESCRIPTION = "auto = ONNX Runtime where it can run (default; fastest on the CPU), else PyTorch, saying why; pytorch = DJL's PyTorch; onnxruntime = ONNX Runtime on the bundle's model.onnx (exported and cached there on first use)";

	private InferenceOptions() {}

	/**
	 * The settings for these option values; an out-of-range batch or an unknown precision is
	 * refused by name.
	 */
	static InferenceSettings settings(final int batch, final boolean largestComponent, final boolean fillHoles, final boolean ttaFlip,
			final boolean probabilities, final String precision, final String engine) {
		return InferenceSettings.builder().optBatch(batch).optLargestComponent(largestComponent).optFillHoles(fillHoles).optTtaFlip(ttaFlip)
				.optProbabilities(probabilities).optPrecision(precision(precision)).optEngine(InferenceEngine.fromKey(engine)).build();
	}

	/** The precision of a {@code precision} key value; empty or {@code null} means the default, {@code fp32}. */
	static Precision precision(final String value) {
		return value == null || value.isEmpty() ? Precision.FP32 : Precision.fromKey(value);
	}

	/** Opens {@code model} on {@code settings}' engine in its precision; {@code messages} hears what {@code engine=auto} decided when it is not ONNX Runtime. */
	static BundleModel open(final File model, final InferenceSettings settings, final Consumer<String> messages) {
		return ProbabilityModels.open(model.toPath(), settings.engine(), settings.precision(), 0, messages);
	}
}
