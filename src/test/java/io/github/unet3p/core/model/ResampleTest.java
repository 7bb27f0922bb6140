package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The decoder's resampling matches Keras: {@code UpSampling2D(f, 'bilinear')} samples source
 * position {@code (o + 0.5)/f − 0.5}, clamped to the border (TensorFlow's half-pixel centres),
 * and {@code MaxPool2D(k)} takes the maximum of non-overlapping k × k windows.
 */
class ResampleTest {

	/**
	 * Hand-computed upsampling of the row (0, 4) by the decoder's factors: position p ∈ [0, 1]
	 * between the two pixels gives 4p; positions outside [0, 1] are clamped.
	 */
	static Stream<Arguments> rows() {
		return Stream.of(
			// positions -0.25, 0.25, 0.75, 1.25
			Arguments.of(2, new float[] { 0, 1, 3, 4 }),
			// positions -0.375, -0.125, 0.125, 0.375, 0.625, 0.875, 1.125, 1.375
			Arguments.of(4, new float[] { 0, 0, 0.5f, 1.5f, 2.5f, 3.5f, 4, 4 }),
			// positions -0.4375 … 1.4375 in steps of 1/8
			Arguments.of(8, new float[] { 0, 0, 0, 0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3.25f, 3.75f, 4, 4, 4, 4 }),
			// positions -0.46875 … 1.46875 in steps of 1/16
			Arguments.of(16, new float[] { 0, 0, 0, 0, 0, 0, 0, 0, //
				0.125f, 0.375f, 0.625f, 0.875f, 1.125f, 1.375f, 1.625f, 1.875f, //
				2.125f, 2.375f, 2.625f, 2.875f, 3.125f, 3.375f, 3.625f, 3.875f, //
				4, 4, 4, 4, 4, 4, 4, 4 }));
	}

	@ParameterizedTest(name = "factor {0}")
	@MethodSource("rows")
	void upsamplingUsesHalfPixelCentresLikeKeras(final int factor, final float[] expectedRow) {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			// A 2 × 2 map, constant down each column: every output row must equal expectedRow.
			final NDArray x = m.create(new float[] { 0, 4, 0, 4 }, new Shape(1, 1, 2, 2));
			final NDArray y = Resample.upsample(x, factor);
			assertEquals(new Shape(1, 1, 2 * factor, 2 * factor), y.getShape());
			final float[] v = y.toFloatArray();
			for (int r = 0; r < 2 * factor; r++) {
				final float[] row = new float[2 * factor];
				System.arraycopy(v, r * 2 * factor, row, 0, row.length);
				assertArrayEquals(expectedRow, row, 1e-6f, "row " + r);
			}
			// Transposed input: every output column must equal expectedRow.
			final float[] t = Resample.upsample(x.transpose(0, 1, 3, 2), factor).toFloatArray();
			for (int c = 0; c < 2 * factor; c++)
				for (int r = 0; r < 2 * factor; r++)
					assertEquals(expectedRow[r], t[r * 2 * factor + c], 1e-6f);
		}
	}

	@Test
	void upsamplingIsBilinearAcrossBothAxes() {
		// (1 2; 3 5) by 2: weights toward the second pixel are 0, 1/4, 3/4, 1 on each axis.
		final float[] w = { 0, 0.25f, 0.75f, 1 };
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final float[] y = Resample.upsample(m.create(new float[] { 1, 2, 3, 5 }, new Shape(1, 1, 2, 2)), 2).toFloatArray();
			for (int r = 0; r < 4; r++)
				for (int c = 0; c < 4; c++) {
					final float expected = (1 - w[r]) * (1 - w[c]) * 1 + (1 - w[r]) * w[c] * 2 + w[r] * (1 - w[c]) * 3 + w[r] * w[c] * 5;
					assertEquals(expected, y[r * 4 + c], 1e-6f, "(" + r + ", " + c + ")");
				}
		}
	}

	@Test
	void maxPoolTakesNonOverlappingWindows() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final float[] up = new float[64];
			final float[] down = new float[64];
			for (int i = 0; i < 64; i++) {
				up[i] = i; // value r·8 + c: window maxima at bottom-right corners
				down[i] = 63 - i; // window maxima at top-left corners
			}
			final NDArray a = m.create(up, new Shape(1, 1, 8, 8));
			final NDArray b = m.create(down, new Shape(1, 1, 8, 8));
			assertArrayEquals(new float[] { 27, 31, 59, 63 }, Resample.maxPool(a, 4).toFloatArray());
			assertArrayEquals(new float[] { 63, 59, 31, 27 }, Resample.maxPool(b, 4).toFloatArray());
			assertArrayEquals(new float[] { 63 }, Resample.maxPool(a, 8).toFloatArray());
			assertArrayEquals(new float[] { 9, 11, 13, 15, 25, 27, 29, 31, 41, 43, 45, 47, 57, 59, 61, 63 },
				Resample.maxPool(a, 2).toFloatArray());
			assertEquals(new Shape(1, 1, 2, 2), Resample.maxPool(a, 4).getShape());
		}
	}
}
