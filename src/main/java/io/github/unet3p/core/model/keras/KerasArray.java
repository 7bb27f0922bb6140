package io.github.unet3p.core.model.keras;

import java.util.Arrays;

/**
 * One weight array of a Keras layer as stored: its shape in Keras' order (a convolution kernel is
 * (kh, kw, in, out)) and its values in row-major order, as float32.
 *
 * @param shape the dimensions, outermost first
 * @param values the values, row-major, {@code product(shape)} of them
 */
public record KerasArray(int[] shape, float[] values) {

	/** The shape as Keras prints it, e.g. {@code (3, 3, 64, 128)}. */
	public String shapeText() {
		return shapeText(shape);
	}

	/** {@code shape} as Keras prints it, e.g. {@code (3, 3, 64, 128)}. */
	public static String shapeText(final int[] shape) {
		final String s = Arrays.toString(shape);
		return "(" + s.substring(1, s.length() - 1) + (shape.length == 1 ? "," : "") + ")";
	}

	/** The index of the first value that is NaN or infinite, or -1 if every value is finite. */
	public int firstNonFinite() {
		for (int i = 0; i < values.length; i++)
			if (!Float.isFinite(values[i])) return i;
		return -1;
	}
}
