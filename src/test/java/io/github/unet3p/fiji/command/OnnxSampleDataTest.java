package io.github.unet3p.fiji.command;

import io.github.unet3p.testsupport.Launch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModel;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.infer.SegmentationResult;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.metrics.LabelRule;
import io.github.unet3p.core.metrics.LitsEvaluator;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.Volume;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * The ONNX Runtime engine against the PyTorch engine on the bundled sample data, with a small model
 * trained on it ({@code src/test/resources/io/github/unet3p/onnx/sample-model}): the network's
 * probabilities on every prepared slice of the held-out volumes agree to 1e-4, their labels are
 * identical, and so are the LiTS Dice and the seed's slice-wise Dice (to 4 decimals). The ONNX
 * Runtime side is opened with the default engine ({@code auto}), so this is also the default path
 * against engine=pytorch, the default before issue 22.
 */
class OnnxSampleDataTest {

	private static final List<Integer> HELD_OUT = List.of(6, 7);

	@TempDir
	Path tmp;

	private Path model() throws IOException, URISyntaxException {
		final Path stored = Path.of(OnnxSampleDataTest.class.getResource("/io/github/unet3p/onnx/sample-model/unet3p.json").toURI()).getParent();
		final Path copy = Files.createDirectories(tmp.resolve("model"));
		for (final String f : List.of("unet3p.json", "weights.params"))
			Files.copy(stored.resolve(f), copy.resolve(f));
		return copy;
	}

	/** Runs the PyTorch model and checks every batch against ONNX Runtime; returns PyTorch's probabilities. */
	private static final class Comparing implements ProbabilityModel {

		final ProbabilityModel torch, onnx;
		double maxDiff;
		long values;

		Comparing(final ProbabilityModel torch, final ProbabilityModel onnx) {
			this.torch = torch;
			this.onnx = onnx;
		}

		@Override
		public int size() {
			return torch.size();
		}

		@Override
		public int classes() {
			return torch.classes();
		}

		@Override
		public float[] predict(final float[] batchNCHW, final int batch) {
			final float[] a = torch.predict(batchNCHW, batch), b = onnx.predict(batchNCHW, batch);
			for (int i = 0; i < a.length; i++)
				maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
			values += a.length;
			return a;
		}
	}

	@Test
	void heldOutVolumesGetTheSameLabelsAndDiceOnBothEngines() throws Exception {
		final Path model = model();
		final InferenceSettings settings = InferenceSettings.builder().optBatch(8).build();
		try (BundleModel torch = ProbabilityModels.open(model, InferenceEngine.PYTORCH, Precision.FP32);
				BundleModel onnx = ProbabilityModels.open(model, InferenceEngine.DEFAULT, Precision.FP32)) {
			assertEquals(InferenceEngine.ONNXRUNTIME, onnx.engine(), "the default engine (auto) runs ONNX Runtime here");
			for (final int n : HELD_OUT) {
				final Volume ct = NiftiReader.read(Path.of("sample-data/lits/test/volume-" + n + ".nii.gz")).volume();
				final Volume truth = NiftiReader.read(Path.of("sample-data/lits/test/segmentation-" + n + ".nii.gz")).volume();
				final Comparing both = new Comparing(torch, onnx);
				final SegmentationResult t = VolumeSegmenter.segment(ct, torch.preparation(), both, settings, ProgressListener.NONE, Cancellation.none());
				assertEquals((long) ct.size(2) * 2 * 64 * 64, both.values, "every slice went through both engines");
				assertTrue(both.maxDiff <= 1e-4, "volume-" + n + ": max |ONNX Runtime − PyTorch| probability = " + both.maxDiff);
				final SegmentationResult o = VolumeSegmenter.segment(ct, onnx.preparation(), onnx, settings, ProgressListener.NONE, Cancellation.none());
				assertArrayEquals(voxels(t.labels()), voxels(o.labels()), "volume-" + n + ": labels");
				final double dt = LitsEvaluator.evaluate(t.labels(), truth, LabelRule.LIVER).dice();
				final double dO = LitsEvaluator.evaluate(o.labels(), truth, LabelRule.LIVER).dice();
				assertEquals(String.format(Locale.ROOT, "%.4f", dt), String.format(Locale.ROOT, "%.4f", dO), "volume-" + n + ": Dice");
				assertTrue(dt > 0.8, "the sample model segments the liver (Dice " + dt + ")");
				System.out.printf(Locale.ROOT, "volume-%d: max |ORT - PyTorch| %.2e over %d probabilities, liver Dice %.4f (PyTorch) %.4f (ONNX Runtime)%n", n,
						both.maxDiff, both.values, dt, dO);
			}
		}
	}

	@Test
	void theSeedDiceOfEvaluateIsTheSameOnBothEngines() throws Exception {
		final Path model = model();
		final Path prep = tmp.resolve("prep");
		assertEquals(0, Launch.run("UNet3+ Preprocess", "input='sample-data/lits/test',output='" + prep + "',size=64").status());
		final double[] mean = new double[2];
		final String[] engines = { "pytorch", "onnxruntime" };
		for (int i = 0; i < 2; i++) {
			final Path csv = tmp.resolve(engines[i] + ".csv");
			final Launch.Outcome r = Launch.run("UNet3+ Evaluate", "model='" + model + "',data='" + prep + "',output='" + csv + "',engine='" + engines[i] + "'");
			assertEquals(0, r.status(), r.err());
			final String last = Files.readAllLines(csv).stream().filter(l -> l.startsWith("mean,")).findFirst().orElseThrow();
			mean[i] = Double.parseDouble(last.split(",")[1]);
		}
		assertEquals(String.format(Locale.ROOT, "%.4f", mean[0]), String.format(Locale.ROOT, "%.4f", mean[1]), "seed Dice");
		assertTrue(mean[0] > 0.8, "seed Dice " + mean[0]);
		System.out.printf(Locale.ROOT, "seed Dice on the held-out slices: %.6f (PyTorch) %.6f (ONNX Runtime)%n", mean[0], mean[1]);
	}

	private static long[] voxels(final Volume v) {
		final long[] out = new long[v.size(0) * v.size(1) * v.size(2)];
		int i = 0;
		for (final RealType<?> t : Views.flatIterable(v.raw()))
			out[i++] = (long) t.getRealDouble();
		return out;
	}
}
