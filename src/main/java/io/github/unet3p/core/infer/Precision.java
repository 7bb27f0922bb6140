package io.github.unet3p.core.infer;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * How a trained network's arithmetic is carried out at inference ({@code precision}): exactly as
 * trained, or with every BatchNorm folded into the convolution before it.
 *
 * <p>NB: there is no bfloat16 mode. DJL 0.36's PyTorch engine aborts the whole JVM (a native
 * {@code terminate}, not a Java exception) as soon as an array of {@code DataType.BFLOAT16} is
 * created or cast to, and float16 convolutions fall back to a CPU path about 50× slower than
 * float32 (both measured with {@code bench.Bf16Probe}); a reduced-precision mode has to wait for
 * an engine that maps bfloat16.
 */
public enum Precision {

	/** Float32, convolution then BatchNorm, as trained (the default; bitwise as before this setting existed). */
	FP32(InferenceKeys.PRECISION_FP32),
	/**
	 * Float32 with BatchNorm folded into the convolution weights ({@code w·s}, {@code (b − mean)·s + beta},
	 * {@code s = gamma / sqrt(var + eps)}, computed in float64, rounded once): one convolution per
	 * block instead of convolution + BatchNorm. Values differ from {@link #FP32} by float rounding only.
	 */
	FP32_FOLDED(InferenceKeys.PRECISION_FP32_FOLDED);

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

	/** The value users type ({@code fp32}, {@code fp32_folded}). */
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
		throw new InvalidInputException(InferenceKeys.PRECISION + ": unknown value '" + key + "'; expected one of "
				+ Arrays.stream(values()).map(p -> "'" + p.key + "'").collect(Collectors.joining(", ")));
	}

	@Override
	public String toString() {
		return key;
	}
}
