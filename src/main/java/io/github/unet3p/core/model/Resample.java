package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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

	/**
	 * Bilinear upsampling of {@code x} (N, C, H, W) by {@code factor}, half-pixel centres (Keras {@code UpSampling2D(factor, 'bilinear')}).
	 *
	 * <p>NB: PyTorch's CPU kernel has no float16 version ("compute_index_ranges_weights" not
	 * implemented for 'Half'); a float16 map on the CPU is upsampled in float32 and rounded back,
	 * which is what the CUDA kernel computes internally (float accumulation) anyway.
	 */
	static NDArray upsample(final NDArray x, final int factor) {
		if (factor == 1) return x;
		final Shape s = x.getShape();
		final long[] size = { s.get(2) * factor, s.get(3) * factor };
		if (x.getDataType() == DataType.FLOAT16 && !x.getDevice().isGpu()) {
			final NDArray wide = x.toType(DataType.FLOAT32, false);
			final NDArray up = wide.getNDArrayInternal().interpolation(size, BILINEAR, false);
			wide.close();
			final NDArray half = up.toType(DataType.FLOAT16, false);
			up.close();
			return half;
		}
		return x.getNDArrayInternal().interpolation(size, BILINEAR, false);
	}
}
