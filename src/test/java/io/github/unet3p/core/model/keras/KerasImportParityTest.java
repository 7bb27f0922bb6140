package io.github.unet3p.core.model.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.testsupport.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Keras fixture file (the recipe's own models, {@link KerasFixtures}) imported and run by the
 * plugin gives TensorFlow's {@code predict} probabilities within {@value #TOLERANCE} and the same
 * labels: d1 through the inference path Segment uses ({@link ProbabilityModels}), and for
 * {@code unet3plus_deepsup} the four deep-supervision heads of the training network too. With the
 * system property {@value #RESULTS} the differences are appended to that file (the benchmark).
 */
class KerasImportParityTest {

	static final double TOLERANCE = 1e-4;
	/** System property: a file to append one line per imported file to. */
	static final String RESULTS = "unet3p.keras.results";

	@TempDir
	Path tmp;

	@TestFactory
	Stream<DynamicTest> everyFixtureFileGivesTheRecipesPredictions() throws IOException {
		final JsonObject manifest = KerasFixtures.manifest();
		final List<DynamicTest> tests = new ArrayList<>();
		for (final JsonElement e : manifest.getAsJsonArray("cases")) {
			final JsonObject c = e.getAsJsonObject();
			for (final Map.Entry<String, JsonElement> f : c.getAsJsonObject("files").entrySet())
				tests.add(DynamicTest.dynamicTest(c.get("name").getAsString() + " " + f.getKey(), () -> check(manifest, c, f.getKey(), f.getValue().getAsString())));
		}
		assertTrue(tests.size() >= 6, "fixture cases: " + tests.size());
		return tests.stream();
	}

	private void check(final JsonObject manifest, final JsonObject c, final String layout, final String fileName) throws IOException {
		final Path folder = KerasFixtures.folder();
		final Variant variant = Variant.fromKey(c.get("variant").getAsString());
		final int classes = manifest.get("classes").getAsInt(), size = manifest.get("size").getAsInt();
		final Path bundle = tmp.resolve(c.get("name").getAsString() + "-" + layout);
		final KerasImport.Result r = KerasImport.run(folder.resolve(fileName), bundle, variant, Backbone.fromKey(c.get("backbone").getAsString()), classes, size, false);
		assertEquals(layout, r.layout().name().toLowerCase(Locale.ROOT).replace("whole_model", "whole"));
		assertEquals(manifest.get("filters").getAsInt(), r.spec().filters());
		assertEquals(c.get("trainable").getAsLong() + batchNormStatistics(r), r.values(), "every weight of the file is imported");

		final Npy slices = Npy.read(folder.resolve(manifest.get("inputs").getAsString()));
		final Npy expected = Npy.read(folder.resolve(c.get("expected").getAsString()));
		final int n = slices.shape()[0], area = size * size;
		final float[] input = KerasFixtures.inputNchw(slices);
		final float[] d1;
		try (BundleModel model = ProbabilityModels.open(bundle, InferenceEngine.PYTORCH, Precision.FP32)) {
			d1 = model.predict(input, n);
		}
		final float[] want = KerasFixtures.expectedNchw(expected, 0);
		final double diff = KerasFixtures.maxDifference(d1, want);
		final int labels = KerasFixtures.labelsDiffering(d1, want, classes, area);
		double heads = Double.NaN;
		if (variant.hasDeepSupervision()) heads = headsDifference(bundle, input, n, expected);
		record(c.get("name").getAsString(), layout, diff, heads, labels);
		assertTrue(diff <= TOLERANCE, "max |p_plugin - p_tf| on d1 = " + diff);
		assertEquals(0, labels, "pixels whose label differs from TensorFlow's");
		assertTrue(Double.isNaN(heads) || heads <= TOLERANCE, "max |p_plugin - p_tf| on the deep-supervision heads = " + heads);
	}

	/** The moving mean and variance of every BatchNorm: imported too, but not trainable in Keras. */
	private static long batchNormStatistics(final KerasImport.Result r) {
		long n = 0;
		for (int stage = 1; stage <= 5 && !r.spec().backbone().isVgg(); stage++)
			n += 2L * r.spec().backbone().convsInStage(stage) * r.spec().encoderWidth(stage);
		return n + 4 * 2L * (5 * r.spec().filters() + r.spec().decoderWidth());
	}

	/** The largest difference of the four deep-supervision heads (training network, moving statistics). */
	private static double headsDifference(final Path bundle, final float[] input, final int n, final Npy expected) {
		try (NDManager manager = TorchEngine.get().newBaseManager()) {
			final ModelBundle b = ModelBundle.read(bundle);
			final UNet3PlusNet net = b.loadNetwork(bundle, manager);
			final int size = b.architecture().size();
			final NDArray x = manager.create(input, new Shape(n, 3, size, size));
			final NDList out = net.forward(new ParameterStore(manager, false), x, false, true);
			assertEquals(5, out.size(), "d1 and four heads");
			double max = 0;
			for (int o = 1; o < 5; o++)
				max = Math.max(max, KerasFixtures.maxDifference(out.get(o).toFloatArray(), KerasFixtures.expectedNchw(expected, o)));
			return max;
		}
	}

	private static void record(final String name, final String layout, final double d1, final double heads, final int labels) throws IOException {
		final String file = System.getProperty(RESULTS);
		if (file == null || file.isBlank()) return;
		final String line = String.format(Locale.ROOT, "%s\t%s\t%.3e\t%s\t%d%n", name, layout, d1, Double.isNaN(heads) ? "-" : String.format(Locale.ROOT, "%.3e", heads), labels);
		Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}
}
