package io.github.unet3p.core.model.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModel;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.infer.SegmentationResult;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.testsupport.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CT segmented with an imported bundle the way Segment Files does it ({@link VolumeSegmenter}):
 * the slices the plugin prepares from the sample CT are the slices TensorFlow was given (the
 * fixtures were made from the plugin's Preprocess of the same CT), and the probabilities the
 * segmenter gets for them are TensorFlow's within {@link KerasImportParityTest#TOLERANCE}, with the
 * same labels.
 */
class KerasImportCtTest {

	private static final Path CT = Path.of("sample-data/lits/test/volume-6.nii.gz");

	@TempDir
	Path tmp;

	@Test
	void segmentingTheSampleCtFeedsAndGetsWhatTensorFlowDid() throws IOException {
		final JsonObject m = KerasFixtures.manifest();
		final Path folder = KerasFixtures.folder();
		final int size = m.get("size").getAsInt(), classes = m.get("classes").getAsInt(), area = size * size;
		final Path bundle = tmp.resolve("imported");
		KerasImport.run(folder.resolve("unet3plus_deepsup-unet3plus.hdf5"), bundle, Variant.UNET3PLUS_DEEPSUP, Backbone.UNET3PLUS, classes, size, false);
		final Volume ct = NiftiReader.read(CT).volume();
		final List<float[]> inputs = new ArrayList<>();
		final List<float[]> outputs = new ArrayList<>();
		final SegmentationResult result;
		try (BundleModel model = ProbabilityModels.open(bundle, InferenceEngine.PYTORCH, Precision.FP32)) {
			final ProbabilityModel recording = new ProbabilityModel() {
				@Override
				public int size() {
					return model.size();
				}

				@Override
				public int classes() {
					return model.classes();
				}

				@Override
				public float[] predict(final float[] batch, final int n) {
					final float[] p = model.predict(batch, n);
					for (int b = 0; b < n; b++) {
						inputs.add(Arrays.copyOfRange(batch, b * 3 * area, (b + 1) * 3 * area));
						outputs.add(Arrays.copyOfRange(p, b * classes * area, (b + 1) * classes * area));
					}
					return p;
				}
			};
			result = VolumeSegmenter.segment(ct, model.preparation(), recording, InferenceSettings.builder().optBatch(4).build(), ProgressListener.NONE,
				new Cancellation());
		}
		assertEquals(ct.size(2), inputs.size(), "one model input per slice");
		assertEquals(ct.size(0), result.labels().size(0));
		final Npy slices = Npy.read(folder.resolve(m.get("inputs").getAsString()));
		final float[] tfInput = KerasFixtures.inputNchw(slices);
		final float[] tfOutput = KerasFixtures.expectedNchw(Npy.read(folder.resolve("unet3plus_deepsup-unet3plus.expected.npy")), 0);
		final List<String> names = new ArrayList<>();
		m.getAsJsonArray("slices").forEach(e -> names.add(e.getAsString()));
		assertTrue(names.size() >= 2, "slices " + names);
		for (int i = 0; i < names.size(); i++) {
			final int k = Integer.parseInt(names.get(i).replaceAll("^image_\\d+_(\\d+)\\.png$", "$1"));
			assertArrayEquals(Arrays.copyOfRange(tfInput, i * 3 * area, (i + 1) * 3 * area), inputs.get(k), "prepared slice " + k + " = TensorFlow's input");
			final float[] want = Arrays.copyOfRange(tfOutput, i * classes * area, (i + 1) * classes * area);
			final double diff = KerasFixtures.maxDifference(outputs.get(k), want);
			assertTrue(diff <= KerasImportParityTest.TOLERANCE, "slice " + k + ": max |p_plugin - p_tf| = " + diff);
			assertEquals(0, KerasFixtures.labelsDiffering(outputs.get(k), want, classes, area), "slice " + k + ": labels differing");
		}
	}
}
