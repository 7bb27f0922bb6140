package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The inference fast path (BatchNorm folded into convolutions) against the separate conv + BN pass. */
class FoldedBatchNormTest {

	private static final int SIZE = 64;
	private static final int BATCH = 2;

	/** A small network whose BatchNorms have non-trivial statistics (as after training). */
	private static UNet3PlusNet trainedLike(final NDManager m) {
		final UNet3PlusNet net = UNet3Plus.builder()
			.setSpec(ModelSpec.builder().optBackbone(Backbone.UNET3PLUS).optFilters(4).optSize(SIZE).build()).build();
		net.initialize(m, 9);
		final SplittableRandom r = new SplittableRandom(4);
		for (final Pair<String, Parameter> p : net.block().getParameters()) {
			final String name = p.getKey();
			final NDArray a = p.getValue().getArray();
			final float[] v = new float[(int) a.size()];
			for (int i = 0; i < v.length; i++) {
				if (name.endsWith("gamma")) v[i] = (float) (0.5 + r.nextDouble());
				else if (name.endsWith("beta") || name.endsWith("runningMean")) v[i] = (float) (r.nextDouble() - 0.5);
				else if (name.endsWith("runningVar")) v[i] = (float) (0.2 + 2 * r.nextDouble());
				else v[i] = Float.NaN;
			}
			if (!Float.isNaN(v[0])) a.set(v);
		}
		return net;
	}

	private static NDArray input(final NDManager m) {
		final SplittableRandom r = new SplittableRandom(12);
		final float[] v = new float[BATCH * 3 * SIZE * SIZE];
		for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
		return m.create(v, new Shape(BATCH, 3, SIZE, SIZE));
	}

	@Test
	void foldedInferenceChangesAtMostOnePerMilleOfTheLabels() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = trainedLike(m);
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray x = input(m);
			final float[] exact = net.infer(ps, x).get(0).toFloatArray();
			net.foldBatchNorm(m);
			final float[] fast = net.infer(ps, x).get(0).toFloatArray();
			net.unfoldBatchNorm();
			final float[] again = net.infer(ps, x).get(0).toFloatArray();
			int changed = 0;
			double maxDiff = 0;
			final int plane = SIZE * SIZE;
			for (int b = 0; b < BATCH; b++)
				for (int p = 0; p < plane; p++) {
					final int i0 = b * 2 * plane + p;
					final int i1 = i0 + plane;
					if ((exact[i1] > exact[i0]) != (fast[i1] > fast[i0])) changed++;
					maxDiff = Math.max(maxDiff, Math.abs(exact[i0] - fast[i0]));
				}
			assertTrue(changed <= BATCH * plane / 1000, changed + " labels changed");
			assertTrue(maxDiff < 1e-3, "probabilities differ by up to " + maxDiff);
			assertTrue(maxDiff > 0, "the fast path did not run");
			for (int i = 0; i < exact.length; i++)
				assertEquals(Float.floatToRawIntBits(exact[i]), Float.floatToRawIntBits(again[i]), "unfolded pass differs at " + i);
		}
	}

	@Test
	void trainingPassesIgnoreTheFoldedWeights() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = trainedLike(m);
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray x = input(m);
			final NDList plain = net.forward(ps, x, true);
			net.foldBatchNorm(m);
			final NDList folded = net.forward(ps, x, true);
			final float[] a = plain.get(0).toFloatArray();
			final float[] b = folded.get(0).toFloatArray();
			for (int i = 0; i < a.length; i++)
				assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "training output differs at " + i);
		}
	}
}
