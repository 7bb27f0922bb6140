package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

/**
 * {@link TorchProbabilityModel} in each {@link Precision} on a tiny network whose BatchNorms have
 * trained-like statistics: {@code fp32} is bitwise the plain inference pass, {@code fp32_folded}
 * stays within {@value #FOLDED_TOLERANCE} of it in every probability and changes at most 0.1 % of
 * the argmax labels.
 */
class TorchProbabilityModelPrecisionTest {

	/** Largest accepted |p_folded − p_fp32| for any class probability of any pixel. */
	static final float FOLDED_TOLERANCE = 1e-4f;
	private static final int SIZE = 64;
	private static final int BATCH = 3;

	@TempDir
	static Path tmp;
	static Path bundle;
	static float[] input;

	@BeforeAll
	static void bundle() throws IOException {
		final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(4).optSize(SIZE).optClasses(2).build();
		final JsonObject training = new JsonObject();
		training.addProperty("note", "untrained test network with random BatchNorm statistics");
		bundle = tmp.resolve("m");
		new ModelBundle(spec, new PreparationSpec(-200, 250, SIZE), training).writeSpec(bundle);
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 9);
			final SplittableRandom r = new SplittableRandom(4);
			for (final Pair<String, Parameter> p : net.block().getParameters()) {
				final String name = p.getKey();
				final NDArray a = p.getValue().getArray();
				final float[] v = new float[(int) a.size()];
				boolean bn = true;
				for (int i = 0; i < v.length && bn; i++) {
					if (name.endsWith("gamma")) v[i] = (float) (0.5 + r.nextDouble());
					else if (name.endsWith("beta") || name.endsWith("runningMean")) v[i] = (float) (r.nextDouble() - 0.5);
					else if (name.endsWith("runningVar")) v[i] = (float) (0.2 + 2 * r.nextDouble());
					else bn = false;
				}
				if (bn) a.set(v);
			}
			ModelWeights.save(net.block(), bundle.resolve(ModelBundle.WEIGHTS_FILE));
		}
		final SplittableRandom r = new SplittableRandom(12);
		input = new float[BATCH * 3 * SIZE * SIZE];
		for (int i = 0; i < input.length; i++)
			input[i] = r.nextInt(256) / 255f;
	}

	private static float[] predict(final Precision precision) {
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle, precision)) {
			assertEquals(precision, model.precision());
			return model.predict(input, BATCH);
		}
	}

	/** The plain inference forward of the bundle's network, without {@code TorchProbabilityModel}. */
	private static float[] plainForward() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = ModelBundle.read(bundle).loadNetwork(bundle, m);
			final boolean recording = TorchEngine.setGradientRecording(false);
			try {
				return net.forward(new ParameterStore(m, false), m.create(input, new Shape(BATCH, 3, SIZE, SIZE)), false).head().toFloatArray();
			}
			finally {
				TorchEngine.setGradientRecording(recording);
			}
		}
	}

	@Test
	void fp32IsBitwiseThePlainInferencePassAndTheDefault() {
		final float[] plain = plainForward();
		final float[] fp32 = predict(Precision.FP32);
		final float[] byDefault;
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle)) {
			assertEquals(Precision.FP32, model.precision());
			byDefault = model.predict(input, BATCH);
		}
		assertEquals(plain.length, fp32.length);
		for (int i = 0; i < plain.length; i++) {
			assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(fp32[i]), "fp32 differs from the plain pass at " + i);
			assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(byDefault[i]), "open(folder) differs from the plain pass at " + i);
		}
	}

	@Test
	void foldedStaysWithinTheToleranceAndKeepsTheLabels() {
		final float[] exact = predict(Precision.FP32);
		final float[] folded = predict(Precision.FP32_FOLDED);
		final int plane = SIZE * SIZE;
		double maxDiff = 0;
		int changed = 0;
		for (int b = 0; b < BATCH; b++)
			for (int p = 0; p < plane; p++) {
				final int i0 = b * 2 * plane + p, i1 = i0 + plane;
				maxDiff = Math.max(maxDiff, Math.max(Math.abs(exact[i0] - folded[i0]), Math.abs(exact[i1] - folded[i1])));
				if ((exact[i1] > exact[i0]) != (folded[i1] > folded[i0])) changed++;
			}
		assertTrue(maxDiff <= FOLDED_TOLERANCE, "fp32_folded probabilities differ from fp32 by up to " + maxDiff);
		assertTrue(maxDiff > 0, "fp32_folded computed exactly fp32's values: the folded path did not run");
		assertTrue(changed <= BATCH * plane / 1000, changed + " of " + BATCH * plane + " labels changed");
	}

	/**
	 * The float16 path (weights, activations and BatchNorm in half precision) on the CPU, where the
	 * public door refuses it for speed only: probabilities within float16 rounding, labels kept. On a
	 * GPU the same code runs on tensor cores (src/bench/gpu_check.sh measures it there).
	 */
	@Test
	void fp16RunsInHalfPrecisionWithinItsRoundingAndIsRefusedOnTheCpu() {
		final float[] exact = predict(Precision.FP32);
		final float[] half;
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle, Precision.FP16, ai.djl.Device.cpu())) {
			half = model.predict(input, BATCH);
		}
		final int plane = SIZE * SIZE;
		double maxDiff = 0;
		int changed = 0;
		for (int b = 0; b < BATCH; b++)
			for (int p = 0; p < plane; p++) {
				final int i0 = b * 2 * plane + p, i1 = i0 + plane;
				maxDiff = Math.max(maxDiff, Math.max(Math.abs(exact[i0] - half[i0]), Math.abs(exact[i1] - half[i1])));
				if ((exact[i1] > exact[i0]) != (half[i1] > half[i0])) changed++;
			}
		System.out.printf("fp16 vs fp32 on the CPU: max |p_fp16 - p_fp32| = %.3g, %d of %d labels changed%n", maxDiff, changed, BATCH * plane);
		assertTrue(maxDiff > 0, "fp16 computed exactly fp32's values: the half path did not run");
		assertTrue(maxDiff <= 2e-2, "fp16 probabilities differ from fp32 by up to " + maxDiff);
		assertTrue(changed <= BATCH * plane / 100, changed + " of " + BATCH * plane + " labels changed");
		final io.github.unet3p.core.util.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
				io.github.unet3p.core.util.InvalidInputException.class, () -> TorchProbabilityModel.open(bundle, Precision.FP16));
		assertTrue(e.getMessage().startsWith("precision=fp16 runs on a GPU only"), e.getMessage());
	}

	@Test
	void foldedModelHoldsNoMoreArraysAfterManyCalls() {
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle, Precision.FP32_FOLDED)) {
			model.predict(input, BATCH);
			final int before = model.managedArrays();
			for (int i = 0; i < 5; i++)
				model.predict(input, BATCH);
			assertEquals(before, model.managedArrays(), "arrays held by the folded model after 5 more batches");
		}
	}
}
