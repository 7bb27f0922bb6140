package io.github.unet3p.core.model.keras;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.unet3p.testsupport.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Keras fixtures written by {@code src/test/fixtures/keras/make_fixtures.sh} (the recipe's own
 * models, TensorFlow's predictions): the committed small-width ones, or the folder named by the
 * system property {@value #PROPERTY} (the real-width benchmark, {@code src/bench/keras_import_check.sh}).
 */
final class KerasFixtures {

	/** System property naming another fixture folder. */
	static final String PROPERTY = "unet3p.keras.fixtures";
	/** The committed fixtures. */
	static final Path COMMITTED = Path.of("src/test/resources/io/github/unet3p/core/model/keras");

	private KerasFixtures() {}

	static Path folder() {
		final String p = System.getProperty(PROPERTY);
		return p == null || p.isBlank() ? COMMITTED : Path.of(p);
	}

	static JsonObject manifest() throws IOException {
		return JsonParser.parseString(Files.readString(folder().resolve("manifest.json"))).getAsJsonObject();
	}

	/** The prepared slices as the model's input: (N, 3, H, W), uint8 / 255 as the plugin computes it. */
	static float[] inputNchw(final Npy slices) {
		final int n = slices.shape()[0], h = slices.shape()[1], w = slices.shape()[2];
		final float[] out = new float[n * 3 * h * w];
		for (int b = 0; b < n; b++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					for (int c = 0; c < 3; c++)
						out[((b * 3 + c) * h + y) * w + x] = (float) (slices.values()[((b * h + y) * w + x) * 3 + c] / 255.0);
		return out;
	}

	/** Output {@code o} of TensorFlow's predictions (outputs, N, H, W, C) as (N, C, H, W). */
	static float[] expectedNchw(final Npy expected, final int o) {
		final int n = expected.shape()[1], h = expected.shape()[2], w = expected.shape()[3], c = expected.shape()[4];
		final float[] out = new float[n * c * h * w];
		final int base = o * n * h * w * c;
		for (int b = 0; b < n; b++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					for (int k = 0; k < c; k++)
						out[((b * c + k) * h + y) * w + x] = expected.values()[base + ((b * h + y) * w + x) * c + k];
		return out;
	}

	/** The largest absolute difference. */
	static double maxDifference(final float[] a, final float[] b) {
		if (a.length != b.length) throw new AssertionError("lengths " + a.length + " and " + b.length);
		double max = 0;
		for (int i = 0; i < a.length; i++)
			max = Math.max(max, Math.abs((double) a[i] - b[i]));
		return max;
	}

	/** How many pixels of (N, C, H, W) probabilities have a different argmax over C (> 0.5 for C = 1). */
	static int labelsDiffering(final float[] a, final float[] b, final int classes, final int area) {
		int differing = 0;
		for (int n = 0; n < a.length / (classes * area); n++)
			for (int p = 0; p < area; p++)
				if (label(a, n, p, classes, area) != label(b, n, p, classes, area)) differing++;
		return differing;
	}

	private static int label(final float[] v, final int n, final int p, final int classes, final int area) {
		if (classes == 1) return v[n * area + p] > 0.5f ? 1 : 0;
		int best = 0;
		for (int c = 1; c < classes; c++)
			if (v[(n * classes + c) * area + p] > v[(n * classes + best) * area + p]) best = c;
		return best;
	}
}
