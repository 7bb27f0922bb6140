package io.github.unet3p.core.infer;

/**
 * The inference keys of {@code UNet3+ Segment} and {@code UNet3+ Segment Files} (macro,
 * {@code --run}; {@code precision} also on {@code UNet3+ Evaluate} and {@code UNet3+ Benchmark}):
 * lowercase snake_case, declared once here, with the allowed values of the choice keys.
 */
public final class InferenceKeys {

	/** Slices per model call (default 4). */
	public static final String BATCH = "batch";
	/** Keep only the largest 26-connected foreground component (default off). */
	public static final String LARGEST_COMPONENT = "largest_component";
	/** Fill background cavities that do not reach the volume border (default off). */
	public static final String FILL_HOLES = "fill_holes";
	/** Average the probabilities of each slice and of its horizontal mirror (default off). */
	public static final String TTA_FLIP = "tta_flip";
	/** Also return one float probability volume per class (default off). */
	public static final String PROBABILITIES = "probabilities";
	/** Inference arithmetic, one of {@link #PRECISION_FP32} (default), {@link #PRECISION_FP32_FOLDED} and {@link #PRECISION_FP16} (GPU only); see {@link Precision}. */
	public static final String PRECISION = "precision";
	/** Value of {@link #PRECISION}: float32 as trained. */
	public static final String PRECISION_FP32 = "fp32";
	/** Value of {@link #PRECISION}: float32 with BatchNorm folded into the convolutions. */
	public static final String PRECISION_FP32_FOLDED = "fp32_folded";
	/** Value of {@link #PRECISION}: float16 weights and activations, on a GPU only. */
	public static final String PRECISION_FP16 = "fp16";

	/**
	 * The runtime that runs the network, one of {@link #ENGINE_AUTO} (default),
	 * {@link #ENGINE_PYTORCH} and {@link #ENGINE_ONNXRUNTIME}; see {@link InferenceEngine}. On
	 * Segment, Segment Files, Evaluate and Benchmark.
	 */
	public static final String ENGINE = "engine";
	/** Value of {@link #ENGINE}: ONNX Runtime where it can run the request, else PyTorch (the default). */
	public static final String ENGINE_AUTO = "auto";
	/** Value of {@link #ENGINE}: DJL's PyTorch engine. */
	public static final String ENGINE_PYTORCH = "pytorch";
	/** Value of {@link #ENGINE}: ONNX Runtime on the bundle's exported {@code model.onnx}. */
	public static final String ENGINE_ONNXRUNTIME = "onnxruntime";
	/** The default value of {@link #ENGINE}. */
	public static final String ENGINE_DEFAULT = ENGINE_AUTO;

	private InferenceKeys() {}
}
