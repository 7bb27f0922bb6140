package io.github.unet3p.core.infer;

/**
 * A segmentation network seen from inference: square 3-channel slices in, per-pixel class
 * probabilities out. The DJL implementation lives with the model code; tests use plain Java fakes.
 *
 * <p>Layouts are NCHW, row-major, float: input element (n, ch, row, col) is at
 * {@code ((n·3 + ch)·size + row)·size + col}, with channels R = slice k−1, G = slice k,
 * B = slice k+1, each the prepared uint8 value / 255. Output element (n, cls, row, col) is at
 * {@code ((n·classes + cls)·size + row)·size + col}.
 */
public interface ProbabilityModel {

	/** Number of input channels every model takes (the seed's (k−1, k, k+1) stack). */
	int CHANNELS = 3;

	/** Side of the square input and output slices in pixels. */
	int size();

	/**
	 * Number of output channels: at least 2 for a softmax over classes (class 0 = background),
	 * or 1 for a sigmoid foreground probability.
	 */
	int classes();

	/**
	 * The class probabilities of a batch of prepared slices.
	 *
	 * @param batchNCHW exactly {@code batch · 3 · size · size} values in [0, 1]; the callee must not
	 *            keep it (the caller reuses and overwrites it)
	 * @param batch number of slices in this call, at least 1
	 * @return a new array of exactly {@code batch · classes · size · size} probabilities (softmax over
	 *         the class axis, or one sigmoid channel)
	 */
	float[] predict(float[] batchNCHW, int batch);
}
