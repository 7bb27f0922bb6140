package io.github.unet3p.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModel;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.onnx.OnnxParity;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.Volume;

/**
 * Writes the cases {@code src/bench/onnx_check.py} checks with Python's {@code onnx} package:
 * one folder per case holding {@code model.onnx} (our export), {@code input.f32} (the NCHW input,
 * little-endian float32), {@code torch.f32} (the PyTorch engine's probabilities for it) and
 * {@code shape.txt} ({@code batch classes size}).
 *
 * <p>Cases: every variant × encoder at width 3, 32 × 32, random weights with random BatchNorm
 * statistics (the CGM gate forced open), 3 random inputs; and {@code sample}: the trained sample
 * model of the tests on every prepared slice of the held-out sample volume 6.
 *
 * <p>{@code OnnxFixtures OUTPUT_FOLDER}
 */
public final class OnnxFixtures {

	private OnnxFixtures() {}

	public static void main(final String[] args) throws Exception {
		final Path out = Path.of(args.length > 0 ? args[0] : "target/onnx-fixtures");
		Files.createDirectories(out);
		for (final Variant v : Variant.values())
			for (final Backbone b : Backbone.values())
				random(out.resolve(v.key() + "_" + b.key()), v, b);
		sample(out.resolve("sample"));
	}

	private static void random(final Path dir, final Variant variant, final Backbone backbone) throws IOException {
		final int classes = variant.hasClassificationGuide() ? 1 : 3, size = 32, batch = 3;
		final ModelSpec spec = ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(3).optClasses(classes).optSize(size).build();
		final ModelBundle bundle = new ModelBundle(spec, new PreparationSpec(-200, 250, size), null);
		final float[] x = OnnxParity.input(batch, size, 11);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = OnnxParity.network(spec, m, 7);
			if (variant.hasClassificationGuide()) OnnxParity.forceGate(net, 1);
			write(dir, OnnxExport.model(net, bundle, "random weights").toByteArray(), x, OnnxParity.torch(net, m, x, batch), batch, classes, size);
		}
	}

	private static void sample(final Path dir) throws Exception {
		final Path stored = Path.of(OnnxFixtures.class.getResource("/io/github/unet3p/onnx/sample-model/unet3p.json").toURI()).getParent();
		final Path model = Files.createTempDirectory("onnx-fixture-model");
		for (final String f : List.of("unet3p.json", "weights.params"))
			Files.copy(stored.resolve(f), model.resolve(f));
		OnnxExport.write(model, model.resolve(OnnxExport.FILE));
		try (BundleModel torch = ProbabilityModels.open(model, InferenceEngine.PYTORCH, Precision.FP32)) {
			final List<float[]> in = new ArrayList<>(), outs = new ArrayList<>();
			final ProbabilityModel recording = new ProbabilityModel() {
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
					in.add(batchNCHW.clone());
					final float[] p = torch.predict(batchNCHW, batch);
					outs.add(p);
					return p;
				}
			};
			final Volume ct = NiftiReader.read(Path.of("sample-data/lits/test/volume-6.nii.gz")).volume();
			VolumeSegmenter.segment(ct, torch.preparation(), recording, InferenceSettings.builder().optBatch(8).build(), ProgressListener.NONE, Cancellation.none());
			final int slices = in.stream().mapToInt(a -> a.length).sum() / (3 * torch.size() * torch.size());
			write(dir, Files.readAllBytes(model.resolve(OnnxExport.FILE)), concat(in), concat(outs), slices, torch.classes(), torch.size());
		}
	}

	private static float[] concat(final List<float[]> parts) {
		final float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
		int at = 0;
		for (final float[] p : parts) {
			System.arraycopy(p, 0, all, at, p.length);
			at += p.length;
		}
		return all;
	}

	private static void write(final Path dir, final byte[] onnx, final float[] x, final float[] y, final int batch, final int classes, final int size)
			throws IOException {
		Files.createDirectories(dir);
		Files.write(dir.resolve("model.onnx"), onnx);
		Files.write(dir.resolve("input.f32"), bytes(x));
		Files.write(dir.resolve("torch.f32"), bytes(y));
		Files.writeString(dir.resolve("shape.txt"), String.format(Locale.ROOT, "%d %d %d%n", batch, classes, size));
		System.out.printf(Locale.ROOT, "%s: %d images, %d classes, %d×%d, %.1f kB%n", dir.getFileName(), batch, classes, size, size, onnx.length / 1e3);
	}

	private static byte[] bytes(final float[] v) {
		final ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(v);
		return b.array();
	}
}
