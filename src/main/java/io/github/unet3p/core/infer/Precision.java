package io.github.unet3p.core.infer;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * How a trained network's arithmetic is carried out at inference ({@code precision}): exactly as
 * trained, with every BatchNorm folded into the convolution before it, or in half precision on a
 * GPU.
 *
 * <p>NB: {@code bf16} is refused here, when the key is read, long before anything reaches the
 * natives: DJL 0.36's PyTorch engine aborts the whole JVM (a native {@code terminate}, not a Java
 * exception) as soon as an array of {@code DataType.BFLOAT16} is created or cast to. {@link #FP16}
 * runs on GPUs only: on the CPU float16 convolutions take a path about 50× slower than float32
 * (both measured with {@code bench.Bf16Probe}); {@code TorchProbabilityModel} refuses it there.
 */
public enum Precision {

	/** Float32, convolution then BatchNorm, as trained (the default; bitwise as before this setting existed). */
	FP32(InferenceKeys.PRECISION_FP32),
	/**
	 * Float32 with BatchNorm folded into the convolution weights ({@code w·s}, {@code (b − mean)·s + beta},
	 * {@code s = gamma / sqrt(var + eps)}, computed in float64, rounded once): one convolution per
	 * block instead of convolution + BatchNorm. Values differ from {@link #FP32} by float rounding only.
	 */
	FP32_FOLDED(InferenceKeys.PRECISION_FP32_FOLDED),
	/**
	 * Float16 weights, activations and BatchNorm on a GPU (tensor cores); the input is converted
	 * once per batch and the probabilities back to float32. No autocast: every operation runs in
	 * float16. Labels differ from {@link #FP32} where a probability is within float16 rounding
	 * (about 1e-3) of the decision threshold. GPU only.
	 */
	FP16(InferenceKeys.PRECISION_FP16);

	private final String key;

	Precision(final String key) {
		this.key = key;
	}

	/** The default precision (as trained). */
	public static final Precision DEFAULT = FP32;

	/** Every allowed key value, in declaration order. */
	public static java.util.List<String> keys() {
		return java.util.Arrays.stream(values()).map(Precision::key).toList();
	}

	/** The value users type ({@code fp32}, {@code fp32_folded}, {@code fp16}). */
	public String key() {
		return key;
	}

	/**
	 * The precision with this value.
	 *
	 * @throws InvalidInputException naming the key {@code precision} and the allowed values
	 */
	public static Precision fromKey(final String key) {
		for (final Precision p : values())
			if (p.key.equals(key)) return p;
		if (key != null && key.trim().toLowerCase(java.util.Locale.ROOT).matches("bf16|bfloat16"))
			throw new InvalidInputException(InferenceKeys.PRECISION + "='" + key
					+ "' is not supported: DJL 0.36's PyTorch engine aborts the whole JVM on bfloat16 arrays. Use fp16 on a GPU, or fp32 / fp32_folded.");
		throw new InvalidInputException(InferenceKeys.PRECISION + ": unknown value '" + key + "'; expected one of "
				+ Arrays.stream(values()).map(p -> "'" + p.key + "'").collect(Collectors.joining(", ")));
	}

	/** Whether this precision runs on GPUs only. */
	public boolean needsGpu() {
		return this == FP16;
	}

	@Override
	public String toString() {
		return key;
	}
}
