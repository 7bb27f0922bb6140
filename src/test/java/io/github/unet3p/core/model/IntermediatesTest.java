package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Eager freeing of a forward pass's intermediates: the same outputs bit for bit, far fewer arrays
 * alive, and no freeing while a gradient is recorded.
 */
class IntermediatesTest {

	private static final int SIZE = 32;
	private static final int BATCH = 2;

	static Stream<Arguments> variantsAndBackbones() {
		final List<Arguments> list = new ArrayList<>();
		for (final Variant v : Variant.values())
			for (final Backbone b : Backbone.values())
				list.add(Arguments.of(v, b));
		return list.stream();
	}

	private static UNet3PlusNet network(final Variant v, final Backbone b, final NDManager m) {
		final ModelSpec spec = ModelSpec.builder().optVariant(v).optBackbone(b).optFilters(4).optSize(SIZE)
			.optClasses(v.hasClassificationGuide() ? 1 : 2).build();
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		net.initialize(m, 3);
		return net;
	}

	private static NDArray input(final NDManager m) {
		final SplittableRandom r = new SplittableRandom(11);
		final float[] v = new float[BATCH * 3 * SIZE * SIZE];
		for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
		return m.create(v, new Shape(BATCH, 3, SIZE, SIZE));
	}

	private static PairList<String, Object> params(final boolean keep, final boolean allOutputs) {
		final PairList<String, Object> p = new PairList<>();
		p.add(UNet3PlusNet.ALL_OUTPUTS, allOutputs);
		if (keep) p.add(Intermediates.KEEP, true);
		return p;
	}

	/** The outputs as float arrays, and how many arrays the pass left on its manager. */
	private record Pass(List<float[]> outputs, int arraysLeft) {}

	/** An inference-mode pass with gradient recording off on this thread (as on the engine's first thread). */
	private static Pass run(final UNet3PlusNet net, final NDManager root, final boolean keep, final boolean allOutputs) {
		final boolean recording = JniUtils.isGradMode();
		JniUtils.setGradMode(false);
		try (NDManager sub = root.newSubManager()) {
			final NDArray x = input(sub);
			final NDList out = net.block().forward(new ParameterStore(sub, false), new NDList(x), false, params(keep, allOutputs));
			final List<float[]> values = new ArrayList<>();
			for (final NDArray o : out) values.add(o.toFloatArray());
			return new Pass(values, sub.getManagedArrays().size());
		}
		finally {
			JniUtils.setGradMode(recording);
		}
	}

	private static void assertSameBits(final List<float[]> expected, final List<float[]> actual) {
		assertEquals(expected.size(), actual.size());
		for (int i = 0; i < expected.size(); i++) {
			final float[] e = expected.get(i);
			final float[] a = actual.get(i);
			assertEquals(e.length, a.length);
			for (int k = 0; k < e.length; k++)
				if (Float.floatToRawIntBits(e[k]) != Float.floatToRawIntBits(a[k]))
					throw new AssertionError("output " + i + " differs at " + k + ": " + e[k] + " vs " + a[k]);
		}
	}

	@ParameterizedTest(name = "{0} / {1}")
	@MethodSource("variantsAndBackbones")
	void freeingChangesNoOutputBitAndLeavesFewArrays(final Variant variant, final Backbone backbone) {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = network(variant, backbone, m);
			for (final boolean all : new boolean[] { false, true }) {
				final Pass kept = run(net, m, true, all);
				final Pass freed = run(net, m, false, all);
				assertSameBits(kept.outputs(), freed.outputs());
				// Kept: every conv, BN, ReLU, pool, resample and concat output (well over 100 arrays).
				assertTrue(kept.arraysLeft() > 100, "kept " + kept.arraysLeft());
				// Freed: input and outputs, plus the sources the deep-supervision heads and CGM still read.
				assertTrue(freed.arraysLeft() <= 12, "freed pass left " + freed.arraysLeft() + " arrays (kept: " + kept.arraysLeft() + ")");
			}
		}
	}

	@Test
	void nothingIsFreedWhileAGradientIsRecordedAndTheValuesAgree() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = network(Variant.UNET3PLUS, Backbone.UNET3PLUS, m);
			final Pass freed = run(net, m, false, false);
			final List<Parameter> params = new ArrayList<>(net.block().getParameters().values());
			for (final Parameter p : params)
				if (p.requiresGradient()) p.getArray().setRequiresGradient(true);
			try (NDManager sub = m.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
				final NDArray x = input(sub);
				final NDList out = net.block().forward(new ParameterStore(sub, false), new NDList(x), false, params(false, false));
				assertTrue(sub.getManagedArrays().size() > 100, "recorded pass left " + sub.getManagedArrays().size());
				assertSameBits(freed.outputs(), List.of(out.get(0).toFloatArray()));
				// The graph is intact: the gradient reaches the first convolution.
				gc.backward(out.get(0).get(":, 0").sum());
				final NDArray g = params.get(0).getArray().getGradient();
				assertTrue(g.abs().sum().getFloat() > 0, "no gradient reached " + params.get(0).getName());
			}
		}
	}

	@Test
	void inferOnAFreshThreadFreesEverythingButInputAndOutput() throws Exception {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = network(Variant.UNET3PLUS, Backbone.UNET3PLUS, m);
			final Pass kept = run(net, m, true, false);
			final Pass[] inferred = new Pass[1];
			final boolean[] recordingBefore = new boolean[2];
			// PyTorch's grad mode is on by default on a thread that did not start the engine.
			final Thread t = new Thread(() -> {
				recordingBefore[0] = JniUtils.isGradMode();
				try (NDManager sub = m.newSubManager()) {
					final NDList out = net.infer(new ParameterStore(sub, false), input(sub));
					inferred[0] = new Pass(List.of(out.get(0).toFloatArray()), sub.getManagedArrays().size());
				}
				recordingBefore[1] = JniUtils.isGradMode();
			});
			t.start();
			t.join();
			assertTrue(recordingBefore[0], "a fresh thread records gradients by default");
			assertTrue(recordingBefore[1], "infer restores the thread's grad mode");
			assertSameBits(kept.outputs(), inferred[0].outputs());
			assertEquals(2, inferred[0].arraysLeft(), "input and probabilities only");
		}
	}

	@Test
	void theModelInputSurvivesAFreeingPass() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = network(Variant.UNET3PLUS, Backbone.VGG16, m);
			try (NDManager sub = m.newSubManager()) {
				final NDArray x = input(sub);
				final float[] before = x.toFloatArray();
				net.infer(new ParameterStore(sub, false), x);
				assertArrayEquals(before, x.toFloatArray());
			}
		}
	}
}
