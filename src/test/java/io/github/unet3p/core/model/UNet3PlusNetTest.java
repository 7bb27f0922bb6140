package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.unet3p.core.util.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forward shapes, activations, gradients and initialisation of small UNet 3+ networks. */
class UNet3PlusNetTest {

	private static final int SIZE = 32;
	private static final int BATCH = 2;

	static Stream<Arguments> variantsAndBackbones() {
		final List<Arguments> list = new ArrayList<>();
		for (final Variant v : Variant.values())
			for (final Backbone b : Backbone.values())
				list.add(Arguments.of(v, b));
		return list.stream();
	}

	private static ModelSpec small(final Variant v, final Backbone b) {
		return ModelSpec.builder().optVariant(v).optBackbone(b).optFilters(4).optSize(SIZE)
			.optClasses(v.hasClassificationGuide() ? 1 : 2).build();
	}

	private static NDArray randomInput(final NDManager m, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] v = new float[BATCH * 3 * SIZE * SIZE];
		for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
		return m.create(v, new Shape(BATCH, 3, SIZE, SIZE));
	}

	@ParameterizedTest(name = "{0} / {1}")
	@MethodSource("variantsAndBackbones")
	void forwardHasTheDocumentedOutputsInBothModes(final Variant variant, final Backbone backbone) {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(small(variant, backbone)).build();
		final int classes = net.spec().classes();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 1);
			final ParameterStore ps = new ParameterStore(m, false);
			try (NDManager batch = m.newSubManager()) {
				final NDArray x = randomInput(batch, 2);
				final NDList inference = net.forward(ps, x, false);
				assertEquals(1, inference.size());
				assertEquals(List.of("d1"), net.outputNames(false));
				assertEquals(new Shape(BATCH, classes, SIZE, SIZE), inference.get(0).getShape());
				assertProbabilities(inference.get(0), classes);

				final NDList training = net.forward(ps, x, true);
				final List<String> names = net.outputNames(true);
				assertEquals(names.size(), training.size());
				final int segmentations = variant.hasDeepSupervision() ? 5 : 1;
				assertEquals(segmentations + (variant.hasClassificationGuide() ? 1 : 0), training.size());
				for (int i = 0; i < segmentations; i++) {
					assertEquals(new Shape(BATCH, classes, SIZE, SIZE), training.get(i).getShape(), names.get(i));
					assertProbabilities(training.get(i), classes);
				}
				if (variant.hasClassificationGuide()) {
					final NDArray cgm = training.get(5);
					assertEquals("cgm", names.get(5));
					assertEquals(new Shape(BATCH, 2), cgm.getShape());
					for (final float p : cgm.toFloatArray()) assertTrue(p > 0 && p < 1, "sigmoid " + p);
				}
				// Forcing all outputs in inference mode gives the same list length; forcing none gives d1.
				assertEquals(training.size(), net.forward(ps, x, false, true).size());
				assertEquals(1, net.forward(ps, x, true, false).size());
			}
		}
	}

	/** Softmax channels sum to 1 at every pixel; sigmoid values lie in [0, 1]. */
	private static void assertProbabilities(final NDArray y, final int classes) {
		if (classes == 1) {
			for (final float v : y.toFloatArray()) assertTrue(v >= 0 && v <= 1, "sigmoid " + v);
			return;
		}
		for (final float s : y.sum(new int[] { 1 }).toFloatArray()) assertEquals(1, s, 1e-5f);
		for (final float v : y.toFloatArray()) assertTrue(v >= 0 && v <= 1);
	}

	@ParameterizedTest(name = "{0} / {1}")
	@MethodSource("variantsAndBackbones")
	void backwardReachesEveryTrainableParameter(final Variant variant, final Backbone backbone) {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(small(variant, backbone)).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 3);
			if (variant.hasClassificationGuide()) openCgmGate(net);
			final ParameterStore ps = new ParameterStore(m, false);
			try (NDManager batch = m.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
				final NDList out = net.forward(ps, randomInput(batch, 4), true);
				// A random linear functional of every output (a plain sum of softmax is constant).
				NDArray loss = net.l2Penalty(batch, true);
				final SplittableRandom r = new SplittableRandom(5);
				for (final NDArray y : out) {
					final float[] w = new float[Math.toIntExact(y.size())];
					for (int i = 0; i < w.length; i++) w[i] = (float) r.nextDouble();
					loss = loss.add(y.mul(batch.create(w, y.getShape())).sum());
				}
				gc.backward(loss);
				for (final Pair<String, Parameter> p : net.block().getParameters()) {
					if (!p.getValue().requiresGradient()) continue;
					final float[] g = p.getValue().getArray().getGradient().toFloatArray();
					double norm = 0;
					for (final float v : g) {
						assertTrue(Float.isFinite(v), p.getKey());
						norm += Math.abs(v);
					}
					// NB: a conv bias followed by BatchNorm is mathematically dead in training (BN removes the mean).
					if (!deadBias(p.getKey())) assertTrue(norm > 0, "no gradient reaches " + p.getKey());
				}
			}
		}
	}

	/** Conv biases directly followed by BatchNorm: every conv_block bias except output and heads. */
	private static boolean deadBias(final String name) {
		return name.endsWith("_bias") && !name.contains("output") && !name.contains("head") && !name.contains("cgm") &&
			!isVggBias(name);
	}

	private static boolean isVggBias(final String name) {
		return name.contains("encoder") && !name.contains("_bn_") && name.matches(".*stage\\d_\\d+ConvBlock_01conv_bias");
	}

	/** Sets the CGM bias so that "contains foreground" wins: the gate is 1 and gradients reach the decoder. */
	private static void openCgmGate(final UNet3PlusNet net) {
		for (final Pair<String, Parameter> p : net.block().getParameters())
			if (p.getKey().contains("cgm") && p.getKey().endsWith("_bias"))
				p.getValue().getArray().set(new float[] { -10, 10 });
	}

	@Test
	void cgmGateZeroesTheSegmentationBeforeItsSigmoid() {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(small(Variant.UNET3PLUS_DEEPSUP_CGM, Backbone.VGG16)).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 6);
			for (final Pair<String, Parameter> p : net.block().getParameters())
				if (p.getKey().contains("cgm") && p.getKey().endsWith("_bias")) p.getValue().getArray().set(new float[] { 10, -10 });
			final NDList out = net.forward(new ParameterStore(m, false), randomInput(m, 7), false, true);
			for (int i = 0; i < 5; i++)
				for (final float v : out.get(i).toFloatArray()) assertEquals(0.5f, v, 0f, "sigmoid(0) in output " + i);
			final float[] cgm = out.get(5).toFloatArray();
			assertTrue(cgm[0] > cgm[1] && cgm[2] > cgm[3], "class 0 wins");
		}
	}

	@Test
	void sameSeedGivesBitwiseIdenticalWeightsAndOtherSeedsDiffer() {
		final ModelSpec spec = small(Variant.UNET3PLUS_DEEPSUP_CGM, Backbone.UNET3PLUS);
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet a = UNet3Plus.builder().setSpec(spec).build();
			final UNet3PlusNet b = UNet3Plus.builder().setSpec(spec).build();
			final UNet3PlusNet c = UNet3Plus.builder().setSpec(spec).build();
			a.initialize(m, 42);
			b.initialize(m, 42);
			c.initialize(m, 43);
			final List<Parameter> pa = a.block().getParameters().values();
			final List<Parameter> pb = b.block().getParameters().values();
			final List<Parameter> pc = c.block().getParameters().values();
			boolean anyDifferent = false;
			for (int i = 0; i < pa.size(); i++) {
				final float[] va = pa.get(i).getArray().toFloatArray();
				assertArrayEquals(va, pb.get(i).getArray().toFloatArray(), 0f, pa.get(i).getName());
				if (pa.get(i).getType() == Parameter.Type.WEIGHT)
					anyDifferent |= !java.util.Arrays.equals(va, pc.get(i).getArray().toFloatArray());
			}
			assertTrue(anyDifferent);
			assertThrows(IllegalStateException.class, () -> a.initialize(m, 1));
		}
	}

	@Test
	void initialisationFollowsKeras() {
		// Large enough kernels for the statistics to be tight: filters 16, VGG backbone (Glorot) too.
		final ModelSpec spec = ModelSpec.builder().optVariant("unet3plus_deepsup").optBackbone("vgg16").optFilters(16)
			.optSize(SIZE).build();
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 9);
			final List<Parameter> l2 = net.l2Parameters();
			int he = 0;
			int glorot = 0;
			for (final Pair<String, Parameter> p : net.block().getParameters()) {
				final Parameter param = p.getValue();
				final float[] v = param.getArray().toFloatArray();
				final Shape s = param.getShape();
				switch (param.getType()) {
					case WEIGHT -> {
						final double fanIn = s.size() / s.get(0);
						final double fanOut = s.size() / s.get(1);
						if (l2.contains(param)) {
							he++;
							// truncated at 2 σ' with σ' = sqrt(2 / fan_in) / 0.8796…; overall std sqrt(2 / fan_in)
							final double bound = 2 * Math.sqrt(2 / fanIn) / 0.87962566103423978;
							for (final float x : v) assertTrue(Math.abs(x) <= bound + 1e-6, p.getKey());
							if (v.length > 20000) assertEquals(Math.sqrt(2 / fanIn), std(v), 0.03 * Math.sqrt(2 / fanIn), p.getKey());
						}
						else {
							glorot++;
							final double limit = Math.sqrt(6 / (fanIn + fanOut));
							for (final float x : v) assertTrue(Math.abs(x) <= limit, p.getKey());
							if (v.length > 20000) assertEquals(limit / Math.sqrt(3), std(v), 0.03 * limit, p.getKey());
						}
					}
					case BIAS, BETA, RUNNING_MEAN -> assertAll(v, 0f, p.getKey());
					case GAMMA, RUNNING_VAR -> assertAll(v, 1f, p.getKey());
					default -> throw new AssertionError("unexpected parameter " + p.getKey());
				}
			}
			// 13 VGG16 convolutions are Glorot; 4 × 6 decoder convs + output + 4 heads are He-normal with L2.
			assertEquals(13, glorot);
			assertEquals(4 * 6 + 1 + 4, he);
			assertEquals(he, l2.size());
		}
	}

	private static void assertAll(final float[] v, final float expected, final String name) {
		for (final float x : v) assertEquals(expected, x, 0f, name);
	}

	private static double std(final float[] v) {
		double s = 0;
		double s2 = 0;
		for (final float x : v) {
			s += x;
			s2 += (double) x * x;
		}
		final double mean = s / v.length;
		return Math.sqrt(s2 / v.length - mean * mean);
	}

	@Test
	void batchNormUsesKerasMomentumAndEpsilon() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final ConvBlock block = ConvBlock.convBnRelu(2);
			block.setInitializer(ai.djl.training.initializer.Initializer.ONES, Parameter.Type.WEIGHT);
			block.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, Parameter.Type.BIAS);
			block.setInitializer(ai.djl.training.initializer.Initializer.ONES, Parameter.Type.GAMMA);
			block.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, Parameter.Type.BETA);
			block.setInitializer(ai.djl.training.initializer.Initializer.ZEROS, Parameter.Type.RUNNING_MEAN);
			block.setInitializer(ai.djl.training.initializer.Initializer.ONES, Parameter.Type.RUNNING_VAR);
			block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(2, 1, 1, 1));
			final ParameterStore ps = new ParameterStore(m, false);
			// 1×1 inputs with a 3×3 all-ones kernel and "same" padding: the conv output is the input.
			final NDArray x = m.create(new float[] { 1, 3 }, new Shape(2, 1, 1, 1));
			// Inference with moving mean 0, variance 1: y = relu(x / sqrt(1 + 1e-3)).
			final float[] y = block.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
			assertEquals(1 / Math.sqrt(1.001), y[0], 1e-6);
			assertEquals(3 / Math.sqrt(1.001), y[2], 1e-6);
			// One training step: batch mean 2, unbiased variance 2;
			// Keras: moving = 0.99 · moving + 0.01 · batch.
			block.forward(ps, new NDList(x), true);
			final ai.djl.nn.ParameterList params = block.getParameters();
			final float[] mean = params.stream().filter(p -> p.getValue().getType() == Parameter.Type.RUNNING_MEAN).findFirst()
				.get().getValue().getArray().toFloatArray();
			final float[] var = params.stream().filter(p -> p.getValue().getType() == Parameter.Type.RUNNING_VAR).findFirst()
				.get().getValue().getArray().toFloatArray();
			assertArrayEquals(new float[] { 0.02f, 0.02f }, mean, 1e-6f);
			assertArrayEquals(new float[] { 0.99f + 0.02f, 0.99f + 0.02f }, var, 1e-6f);
		}
	}

	@Test
	void l2PenaltyIsKerasL2OnConvBlockKernels() {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(small(Variant.UNET3PLUS_DEEPSUP, Backbone.UNET3PLUS)).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 11);
			double all = 0;
			double heads = 0;
			for (final Parameter p : net.l2Parameters()) {
				double s = 0;
				for (final float w : p.getArray().toFloatArray()) s += (double) w * w;
				all += s;
				if (net.headParameters().contains(p)) heads += s;
			}
			assertTrue(heads > 0);
			try (NDManager batch = m.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
				final NDArray penalty = net.l2Penalty(batch, true);
				assertEquals(1e-4 * all, penalty.getFloat(), 1e-4 * all * 1e-5);
				assertEquals(1e-4 * (all - heads), net.l2Penalty(batch, false).getFloat(), 1e-4 * all * 1e-5);
				gc.backward(penalty);
				final Parameter k = net.l2Parameters().get(0);
				final float[] w = k.getArray().toFloatArray();
				final float[] g = k.getArray().getGradient().toFloatArray();
				for (int i = 0; i < w.length; i++) assertEquals(2e-4f * w[i], g[i], 1e-9f);
			}
			// VGG kernels are not regularised.
			final UNet3PlusNet vgg = UNet3Plus.builder().setSpec(small(Variant.UNET3PLUS, Backbone.VGG19)).build();
			assertEquals(4 * 6 + 1, vgg.l2Parameters().size());
		}
	}

	@Test
	void rejectsInputsTheNetworkCannotTake() {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(small(Variant.UNET3PLUS, Backbone.UNET3PLUS)).build();
		assertFalse(net.isInitialized());
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 1);
			assertTrue(net.isInitialized());
			final ParameterStore ps = new ParameterStore(m, false);
			final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> net.forward(ps, m.zeros(new Shape(1, 3, 40, 40)), false));
			assertTrue(e.getMessage().contains("(N, 3, H, W)"), e.getMessage());
			assertThrows(InvalidInputException.class, () -> net.forward(ps, m.zeros(new Shape(1, 1, 32, 32)), false));
		}
	}
}
