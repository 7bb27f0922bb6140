package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.testsupport.TinyBundles;

/** A bundle on disk as a {@link ProbabilityModel}: shapes, probabilities, preparation, native memory, determinism. */
class TorchProbabilityModelTest {

	private static final int SIZE = 32;

	@TempDir
	Path tmp;

	private static float[] randomBatch(final int batch, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] v = new float[batch * 3 * SIZE * SIZE];
		for (int i = 0; i < v.length; i++)
			v[i] = r.nextInt(256) / 255f;
		return v;
	}

	@Test
	void softmaxOutputHasTheDocumentedShapeAndSumsToOne() throws IOException {
		try (TorchProbabilityModel model = TorchProbabilityModel.open(TinyBundles.write(tmp.resolve("m"), 2, SIZE, 1))) {
			assertEquals(SIZE, model.size());
			assertEquals(2, model.classes());
			final int area = SIZE * SIZE;
			final float[] out = model.predict(randomBatch(3, 7), 3);
			assertEquals(3 * 2 * area, out.length);
			for (int n = 0; n < 3; n++)
				for (int p = 0; p < area; p++) {
					final float a = out[(2 * n) * area + p], b = out[(2 * n + 1) * area + p];
					assertTrue(a >= 0 && a <= 1 && b >= 0 && b <= 1, "probabilities in [0, 1]");
					assertEquals(1f, a + b, 1e-5f, "softmax over classes sums to 1 at slice " + n + ", pixel " + p);
				}
		}
	}

	@Test
	void oneClassModelGivesOneSigmoidChannel() throws IOException {
		final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(2).optSize(SIZE).optClasses(1).build();
		try (TorchProbabilityModel model = TorchProbabilityModel.open(TinyBundles.write(tmp.resolve("m"), spec, -200, 250, 3))) {
			final float[] out = model.predict(randomBatch(2, 8), 2);
			assertEquals(2 * SIZE * SIZE, out.length);
			for (final float v : out)
				assertTrue(v > 0 && v < 1, "sigmoid output in (0, 1): " + v);
		}
	}

	@Test
	void preparationComesFromTheBundle() throws IOException {
		final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(2).optSize(48).build();
		try (TorchProbabilityModel model = TorchProbabilityModel.open(TinyBundles.write(tmp.resolve("m"), spec, -150, 300, 3))) {
			assertEquals(PreprocessSettings.builder().optHuMin(-150).optHuMax(300).optSize(48).build(), model.preparation());
			assertEquals(48, model.size());
		}
	}

	@Test
	void noNativeArrayAccumulatesOverManyCalls() throws IOException {
		try (TorchProbabilityModel model = TorchProbabilityModel.open(TinyBundles.write(tmp.resolve("m"), 2, SIZE, 1))) {
			final float[] in = randomBatch(2, 9);
			model.predict(in, 2);
			final int before = model.managedArrays();
			for (int i = 0; i < 20; i++)
				model.predict(in, 2);
			assertEquals(before, model.managedArrays(), "arrays held by the model after 20 more batches");
		}
	}

	@Test
	void deterministicAcrossCallsOpeningsAndBatchSizes() throws IOException {
		final Path bundle = TinyBundles.write(tmp.resolve("m"), 2, SIZE, 1);
		final float[] in = randomBatch(2, 10);
		final float[] first, again, reopened, alone;
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle)) {
			first = model.predict(in, 2);
			again = model.predict(in.clone(), 2);
			alone = model.predict(java.util.Arrays.copyOfRange(in, 3 * SIZE * SIZE, in.length), 1);
		}
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle)) {
			reopened = model.predict(in, 2);
		}
		assertArrayEquals(first, again, "same input, same output");
		assertArrayEquals(first, reopened, "same bundle, same output");
		final float[] second = java.util.Arrays.copyOfRange(first, 2 * SIZE * SIZE, first.length);
		assertArrayEquals(second, alone, 1e-5f, "a slice's probabilities do not depend on its batch (inference-mode BatchNorm)");
	}

	@Test
	void aZippedBundlePredictsAsItsFolder() throws IOException {
		final Path bundle = TinyBundles.write(tmp.resolve("m"), 2, SIZE, 1);
		final Path zip = tmp.resolve("m.zip");
		try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
			for (final String name : new String[] { "unet3p.json", "weights.params" }) {
				out.putNextEntry(new java.util.zip.ZipEntry(name));
				out.write(java.nio.file.Files.readAllBytes(bundle.resolve(name)));
				out.closeEntry();
			}
		}
		final float[] in = randomBatch(1, 4);
		try (TorchProbabilityModel folder = TorchProbabilityModel.open(bundle); TorchProbabilityModel zipped = TorchProbabilityModel.open(zip)) {
			assertArrayEquals(folder.predict(in, 1), zipped.predict(in, 1));
		}
	}

	@Test
	void wrongInputLengthAndUseAfterCloseAreRefused() throws IOException {
		final TorchProbabilityModel model = TorchProbabilityModel.open(TinyBundles.write(tmp.resolve("m"), 2, SIZE, 1));
		assertThrows(IllegalArgumentException.class, () -> model.predict(new float[10], 1));
		assertThrows(IllegalArgumentException.class, () -> model.predict(randomBatch(1, 1), 2));
		model.close();
		model.close();
		assertThrows(IllegalStateException.class, () -> model.predict(randomBatch(1, 1), 1));
	}

	@Test
	void missingWeightsAndNonBundlesAreNamed() throws IOException {
		final Path bundle = TinyBundles.write(tmp.resolve("m"), 2, SIZE, 1);
		Files.delete(bundle.resolve(ModelBundle.WEIGHTS_FILE));
		final InvalidInputException noWeights = assertThrows(InvalidInputException.class, () -> TorchProbabilityModel.open(bundle));
		assertTrue(noWeights.getMessage().contains(ModelBundle.WEIGHTS_FILE), noWeights.getMessage());
		final Path empty = Files.createDirectories(tmp.resolve("empty"));
		final InvalidInputException notBundle = assertThrows(InvalidInputException.class, () -> TorchProbabilityModel.open(empty));
		assertTrue(notBundle.getMessage().contains(empty.toString()), notBundle.getMessage());
	}

	@Test
	void segmentsAVolumeThroughVolumeSegmenter() throws IOException {
		final int i = 40, j = 36, k = 5;
		final net.imglib2.img.array.ArrayImg<net.imglib2.type.numeric.integer.ShortType, ?> img = net.imglib2.img.array.ArrayImgs.shorts(i, j, k);
		final SplittableRandom r = new SplittableRandom(4);
		for (final net.imglib2.type.numeric.integer.ShortType v : img)
			v.set((short) (r.nextInt(600) - 300));
		final io.github.unet3p.core.volume.Volume ct = io.github.unet3p.core.volume.Volume.of(img,
				io.github.unet3p.core.volume.VolumeGeometry.ofSpacing(0.8, 0.8, 2.5));
		try (TorchProbabilityModel model = TorchProbabilityModel.open(TinyBundles.write(tmp.resolve("m"), 2, SIZE, 1))) {
			final SegmentationResult a = VolumeSegmenter.segment(ct, model.preparation(), model, InferenceSettings.builder().optBatch(2).build(),
					io.github.unet3p.core.util.ProgressListener.NONE, io.github.unet3p.core.util.Cancellation.none());
			final SegmentationResult b = VolumeSegmenter.segment(ct, model.preparation(), model, InferenceSettings.builder().optBatch(4).build(),
					io.github.unet3p.core.util.ProgressListener.NONE, io.github.unet3p.core.util.Cancellation.none());
			assertArrayEquals(new long[] { i, j, k }, a.labels().dimensions());
			final var ca = a.labelImage().cursor();
			final var cb = b.labelImage().cursor();
			int differ = 0;
			while (ca.hasNext())
				if (ca.next().get() != cb.next().get()) differ++;
			assertTrue(differ <= i * j * k / 1000, "batch 2 and 4 label the same voxels (" + differ + " differ)");
		}
	}
}
