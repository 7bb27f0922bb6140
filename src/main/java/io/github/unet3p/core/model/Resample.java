package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * The decoder's two resampling operations on NCHW feature maps, as Keras performs them.
 *
 * <p>NB: both were checked numerically against hand-computed values (see {@code ResampleTest}):
 * DJL's PyTorch interpolation with {@code alignCorners = false} maps output pixel {@code o} to
 * source position {@code (o + 0.5)/factor − 0.5}, clamped at the border, which is exactly
 * TensorFlow's {@code UpSampling2D(interpolation='bilinear')} ({@code half_pixel_centers}).
 */
final class Resample {

	/** DJL's code for bilinear interpolation in {@code NDArrayEx.interpolation}. */
	private static final int BILINEAR = 1;

	private Resample() {}

	/** Max-pools {@code x} (N, C, H, W) with a {@code k × k} window and stride {@code k}, no padding (Keras {@code MaxPool2D(k)}). */
	static NDArray maxPool(final NDArray x, final int k) {
		if (k == 1) return x;
		final Shape window = new Shape(k, k);
		return Pool.maxPool2d(x, window, window, new Shape(0, 0), false);
	}

	/** Bilinear upsampling of {@code x} (N, C, H, W) by {@code factor}, half-pixel centres (Keras {@code UpSampling2D(factor, 'bilinear')}). */
	static NDArray upsample(final NDArray x, final int factor) {
		if (factor == 1) return x;
		final Shape s = x.getShape();
		return x.getNDArrayInternal().interpolation(new long[] { s.get(2) * factor, s.get(3) * factor }, BILINEAR, false);
	}
}
