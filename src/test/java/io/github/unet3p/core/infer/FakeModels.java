package io.github.unet3p.core.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Plain-Java stand-ins for a network, each with a behaviour a test can predict exactly. */
final class FakeModels {

	private FakeModels() {}

	/** Foreground probability = the G channel (slice k's prepared value / 255); softmax pair (1 − p, p). */
	static ProbabilityModel brightIsForeground(final int size) {
		return pixelwise(size, (g, row, col) -> g);
	}

	/**
	 * Foreground probability = the G channel weighted by the column (0.3 at the left, 1.0 at the
	 * right): a model that is not symmetric under a left–right mirror.
	 */
	static ProbabilityModel leftShy(final int size) {
		return pixelwise(size, (g, row, col) -> g * (0.3f + 0.7f * col / (size - 1)));
	}

	/** Foreground exactly in rows [0, rows) × columns [0, cols) of the prepared slice, whatever the input. */
	static ProbabilityModel square(final int size, final int rows, final int cols) {
		return pixelwise(size, (g, row, col) -> row < rows && col < cols ? 1f : 0f);
	}

	/** One sigmoid channel = the G channel. */
	static ProbabilityModel sigmoid(final int size) {
		return new ProbabilityModel() {
			@Override
			public int size() {
				return size;
			}

			@Override
			public int classes() {
				return 1;
			}

			@Override
			public float[] predict(final float[] in, final int batch) {
				final int area = size * size;
				final float[] out = new float[batch * area];
				for (int n = 0; n < batch; n++)
					System.arraycopy(in, (n * 3 + 1) * area, out, n * area, area);
				return out;
			}
		};
	}

	interface Foreground {

		float p(float g, int row, int col);
	}

	static ProbabilityModel pixelwise(final int size, final Foreground f) {
		return new ProbabilityModel() {
			@Override
			public int size() {
				return size;
			}

			@Override
			public int classes() {
				return 2;
			}

			@Override
			public float[] predict(final float[] in, final int batch) {
				if (in.length != batch * 3 * size * size) throw new AssertionError("input of " + in.length + " values for batch " + batch);
				final int area = size * size;
				final float[] out = new float[batch * 2 * area];
				for (int n = 0; n < batch; n++)
					for (int r = 0; r < size; r++)
						for (int c = 0; c < size; c++) {
							final int p = r * size + c;
							final float fg = f.p(in[(n * 3 + 1) * area + p], r, c);
							out[(n * 2) * area + p] = 1 - fg;
							out[(n * 2 + 1) * area + p] = fg;
						}
				return out;
			}
		};
	}

	/** Wraps a model and records the batch size of every call and each slice's three input channels. */
	static final class Recording implements ProbabilityModel {

		final ProbabilityModel inner;
		final List<Integer> batches = new ArrayList<>();
		final List<float[][]> slices = new ArrayList<>();
		final IntUnaryOperator afterCall;

		Recording(final ProbabilityModel inner) {
			this(inner, call -> 0);
		}

		/** {@code afterCall} runs after each call with its 1-based number. */
		Recording(final ProbabilityModel inner, final IntUnaryOperator afterCall) {
			this.inner = inner;
			this.afterCall = afterCall;
		}

		@Override
		public int size() {
			return inner.size();
		}

		@Override
		public int classes() {
			return inner.classes();
		}

		@Override
		public float[] predict(final float[] in, final int batch) {
			batches.add(batch);
			final int area = size() * size();
			for (int n = 0; n < batch; n++) {
				final float[][] ch = new float[3][area];
				for (int c = 0; c < 3; c++)
					System.arraycopy(in, (n * 3 + c) * area, ch[c], 0, area);
				slices.add(ch);
			}
			final float[] out = inner.predict(in, batch);
			afterCall.applyAsInt(batches.size());
			return out;
		}
	}
}
