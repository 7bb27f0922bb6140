package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import io.github.unet3p.core.model.EngineArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * SSIM and MS-SSIM with the semantics of TensorFlow's {@code tf.image.ssim} and
 * {@code tf.image.ssim_multiscale} on NCHW tensors: an 11 × 11 Gaussian window (σ = 1.5,
 * normalised to sum 1), k1 = 0.01, k2 = 0.03, max_val = 1, the window applied per channel
 * without padding ("valid"), the SSIM map averaged over height and width per channel.
 *
 * <p>NB: the window is applied as two 1-D passes (11 × 1, then 1 × 11). TensorFlow builds its
 * 2-D window as the softmax of {@code g(i) + g(j)}, which is exactly the outer product of the
 * normalised 1-D Gaussian with itself, so the two passes give the same numbers up to float
 * rounding, at a fifth of the cost.
 */
final class Ssim {

	/** Side of the Gaussian window. */
	static final int FILTER_SIZE = 11;
	/** Standard deviation of the Gaussian window, in pixels. */
	static final double FILTER_SIGMA = 1.5;
	/** Luminance stabiliser factor. */
	static final double K1 = 0.01;
	/** Contrast-structure stabiliser factor. */
	static final double K2 = 0.03;
	/** Dynamic range of probabilities. */
	static final double MAX_VAL = 1;
	/** TensorFlow's default MS-SSIM weights of the five scales, finest first (Wang et al.). */
	static final double[] MS_SSIM_POWER_FACTORS = { 0.0448, 0.2856, 0.3001, 0.2363, 0.1333 };

	private Ssim() {}

	/** The normalised 1-D Gaussian whose outer product with itself is TensorFlow's SSIM window. */
	static double[] window1d() {
		final double[] g = new double[FILTER_SIZE];
		final double centre = (FILTER_SIZE - 1) / 2.0;
		double sum = 0;
		for (int i = 0; i < FILTER_SIZE; i++) {
			final double d = i - centre;
			// NB: StrictMath: Math.exp may differ by an ulp between the interpreter and compiled code,
			// which would make the loss depend on when the JIT compiler ran (load-dependent).
			g[i] = StrictMath.exp(-0.5 * d * d / (FILTER_SIGMA * FILTER_SIGMA));
			sum += g[i];
		}
		for (int i = 0; i < FILTER_SIZE; i++)
			g[i] /= sum;
		return g;
	}

	/** The smallest side an image may have for {@code scales} SSIM scales (1 = plain SSIM). */
	static long minimumSide(final int scales) {
		// Each scale halves the side rounding up (TF pads an odd side by one edge row).
		return (FILTER_SIZE - 1L) * (1L << (scales - 1)) + 1;
	}

	/**
	 * Refuses images too small for {@code scales} scales of the 11 × 11 window, as TensorFlow
	 * does (it asserts that every scale is at least as large as the window).
	 */
	static void checkSize(final Shape nchw, final int scales, final String what) {
		final long h = nchw.get(2);
		final long w = nchw.get(3);
		final long min = minimumSide(scales);
		if (h < min || w < min)
			throw new InvalidInputException(what + " needs images of at least " + min + "×" + min + " pixels ("
				+ (scales == 1 ? "its 11×11 window" : scales + " scales, each halving the image, with an 11×11 window")
				+ "); the images are " + h + "×" + w + ". Use larger images (size) or another loss.");
	}

	/**
	 * SSIM and the contrast-structure term of {@code x} and {@code y} per image and channel.
	 *
	 * @param x B × C × H × W, H and W at least 11
	 * @param y same shape as {@code x}
	 * @return {ssim, cs}, each B × C: the means over the valid map of luminance·cs and of cs
	 */
	static NDArray[] perChannel(final NDArray x, final NDArray y) {
		final Shape shape = x.getShape();
		final long channels = shape.get(1);
		final int groups = Math.toIntExact(4 * channels);
		// The four local means TF needs, filtered in one grouped convolution: x, y, x·y, x² + y².
		final NDArray stacked = NDArrays.concat(new NDList(x, y, x.mul(y), x.square().add(y.square())), 1);
		final double[] w = window1d();
		final double[] weights = new double[groups * FILTER_SIZE];
		for (int g = 0; g < groups; g++)
			System.arraycopy(w, 0, weights, g * FILTER_SIZE, FILTER_SIZE);
		final NDArray vertical = EngineArrays.create(x.getManager(), weights, new Shape(groups, 1, FILTER_SIZE, 1))
			.toType(x.getDataType(), false);
		final NDArray horizontal = vertical.reshape(groups, 1, 1, FILTER_SIZE);
		final Shape unit = new Shape(1, 1);
		final Shape none = new Shape(0, 0);
		final NDArray filtered = Conv2d.conv2d(
			Conv2d.conv2d(stacked, vertical, null, unit, none, unit, groups).head(),
			horizontal, null, unit, none, unit, groups).head();

		final String c = Long.toString(channels);
		final NDArray meanX = filtered.get(":, 0:" + c);
		final NDArray meanY = filtered.get(":, " + c + ":" + 2 * channels);
		final NDArray meanXY = filtered.get(":, " + 2 * channels + ":" + 3 * channels);
		final NDArray meanSquares = filtered.get(":, " + 3 * channels + ":");

		final double c1 = (K1 * MAX_VAL) * (K1 * MAX_VAL);
		final double c2 = (K2 * MAX_VAL) * (K2 * MAX_VAL);
		final NDArray num0 = Scalars.mul(meanX.mul(meanY), 2);
		final NDArray den0 = meanX.square().add(meanY.square());
		final NDArray luminance = Scalars.add(num0, c1).div(Scalars.add(den0, c1));
		final NDArray cs = Scalars.add(Scalars.mul(meanXY, 2).sub(num0), c2).div(Scalars.add(meanSquares.sub(den0), c2));

		final long pixels = filtered.getShape().get(2) * filtered.getShape().get(3);
		final int[] space = { 2, 3 };
		return new NDArray[] { Scalars.div(luminance.mul(cs).sum(space), pixels), Scalars.div(cs.sum(space), pixels) };
	}

	/** SSIM per image (B): the mean over channels of {@link #perChannel}'s SSIM. */
	static NDArray ssim(final NDArray x, final NDArray y) {
		return perChannel(x, y)[0].mean(new int[] { 1 });
	}

	/**
	 * MS-SSIM per image (B) as {@code tf.image.ssim_multiscale}: for each scale k the
	 * contrast-structure term (the full SSIM at the coarsest scale), clamped at 0 and raised to
	 * the power factor k, multiplied over scales, then averaged over channels. Between scales
	 * both images are 2 × 2 average-pooled, after repeating the last row (column) when the height
	 * (width) is odd.
	 */
	static NDArray msSsim(final NDArray x, final NDArray y, final double[] powerFactors) {
		NDArray a = x;
		NDArray b = y;
		NDArray product = null;
		for (int k = 0; k < powerFactors.length; k++) {
			if (k > 0) {
				a = halve(a);
				b = halve(b);
			}
			final NDArray[] terms = perChannel(a, b);
			final NDArray term = k < powerFactors.length - 1 ? terms[1] : terms[0];
			final NDArray factor = Scalars.pow(Activation.relu(term), powerFactors[k]);
			product = product == null ? factor : product.mul(factor);
		}
		return product.mean(new int[] { 1 });
	}

	/** 2 × 2 average pooling; an odd side is first extended by repeating its last row or column. */
	static NDArray halve(final NDArray x) {
		NDArray padded = x;
		final long h = x.getShape().get(2);
		final long w = x.getShape().get(3);
		if (h % 2 != 0) padded = padded.concat(padded.get(":, :, " + (h - 1) + ":, :"), 2);
		if (w % 2 != 0) padded = padded.concat(padded.get(":, :, :, " + (w - 1) + ":"), 3);
		final Shape two = new Shape(2, 2);
		return Pool.avgPool2d(padded, two, two, new Shape(0, 0), false, true);
	}
}
