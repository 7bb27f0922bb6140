package io.github.unet3p.core.infer;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The runtime that runs a trained network at inference ({@code engine}); {@link ProbabilityModels}
 * opens a bundle on it, so nothing else needs to know which one runs.
 */
public enum InferenceEngine {

	/**
	 * The fastest engine that can run the request, the default: {@link #ONNXRUNTIME} on the CPU,
	 * {@link #PYTORCH} where ONNX Runtime cannot run it (see {@link ProbabilityModels#open}).
	 */
	AUTO(InferenceKeys.ENGINE_AUTO),
	/** DJL's PyTorch engine on the bundle's weights ({@link TorchProbabilityModel}). */
	PYTORCH(InferenceKeys.ENGINE_PYTORCH),
	/**
	 * ONNX Runtime on the bundle's {@code model.onnx}, exported from its weights on first use
	 * ({@link OrtProbabilityModel}).
	 */
	ONNXRUNTIME(InferenceKeys.ENGINE_ONNXRUNTIME);

	/** The engine used when the key is not given ({@link InferenceKeys#ENGINE_DEFAULT}). */
	public static final InferenceEngine DEFAULT = fromKey(InferenceKeys.ENGINE_DEFAULT);

	private final String key;

	InferenceEngine(final String key) {
		this.key = key;
	}

	/** The value users type ({@code auto}, {@code pytorch}, {@code onnxruntime}). */
	public String key() {
		return key;
	}

	/** Every value users may type, in declaration order: the {@code engine} key's choice list. */
	public static String[] keys() {
		return Arrays.stream(values()).map(InferenceEngine::key).toArray(String[]::new);
	}

	/**
	 * The engine with this value; {@code null} or empty means {@link #DEFAULT}.
	 *
	 * @throws InvalidInputException naming the key {@code engine} and the allowed values
	 */
	public static InferenceEngine fromKey(final String key) {
		if (key == null || key.isEmpty()) return DEFAULT;
		for (final InferenceEngine e : values())
			if (e.key.equals(key)) return e;
		throw new InvalidInputException(InferenceKeys.ENGINE + ": unknown value '" + key + "'; expected one of "
				+ Arrays.stream(values()).map(e -> "'" + e.key + "'").collect(Collectors.joining(", ")));
	}

	@Override
	public String toString() {
		return key;
	}
}
