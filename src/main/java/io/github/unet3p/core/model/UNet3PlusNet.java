package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A UNet 3+ network: its {@link ModelSpec} and its DJL {@link Block}, with the forward pass,
 * seeded initialisation and the L2 penalty the trainer adds to the loss.
 *
 * <h2>Forward contract</h2>
 * Input: one array (N, 3, H, W), float32, H and W multiples of 16 (normally {@code size}).
 * Output, an {@link NDList} in this order (see {@link #outputNames(boolean)}):
 * <ol start="0">
 * <li>{@code d1}: (N, classes, H, W) probabilities — softmax over axis 1 for classes ≥ 2,
 * sigmoid for 1. Always present; the only output in inference.</li>
 * <li>{@code d2}, {@code d3}, {@code d4}, {@code e5} (indices 1…4): the deep-supervision heads,
 * each upsampled bilinearly to (N, classes, H, W) and activated like d1 — only for
 * {@code unet3plus_deepsup[_cgm]} and only when all outputs are requested.</li>
 * <li>{@code cgm} (index 5): the classification-guided module's probabilities (N, 2), sigmoid,
 * index 1 = "the slice contains foreground" — only for {@code unet3plus_deepsup_cgm} and only
 * when all outputs are requested; the trainer adds binary cross-entropy on it.</li>
 * </ol>
 * {@code block().forward(ps, inputs, training)} requests all outputs exactly when
 * {@code training} is true, as the seed's Keras model built with {@code training=True} does;
 * DJL's {@code training} flag also switches BatchNorm to batch statistics and enables dropout.
 * For the CGM variant every segmentation output, in both modes, is multiplied by the CGM's
 * argmax (0 or 1) before its sigmoid, as in the seed.
 *
 * <p>NB: the deep-supervision heads exist in the block (and in saved weights) for every pass,
 * but only training uses them; {@link ModelSummary} counts them in training mode only.
 */
public final class UNet3PlusNet {

	/**
	 * Forward parameter key (value {@link Boolean}) that overrides whether the deep-supervision
	 * and CGM outputs are returned, independently of DJL's {@code training} flag.
	 */
	public static final String ALL_OUTPUTS = "unet3p.all_outputs";
	/** The seed's L2 factor on {@code conv_block} kernels (Keras {@code l2(1e-4)}: 1e-4 · Σ w²). */
	public static final float L2 = 1e-4f;

	private final ModelSpec spec;
	private final UNet3PlusBlock block;

	UNet3PlusNet(final ModelSpec spec, final UNet3PlusBlock block) {
		this.spec = spec;
		this.block = block;
	}

	/** The architecture this network was built for. */
	public ModelSpec spec() {
		return spec;
	}

	/** The DJL block (for {@code Model.setBlock}, saving and loading). */
	public Block block() {
		return block;
	}

	/** The input shape for a batch of {@code batch} images: (batch, 3, size, size). */
	public Shape inputShape(final int batch) {
		return new Shape(batch, ModelSpec.CHANNELS, spec.size(), spec.size());
	}

	/** Whether {@link #initialize(NDManager, long)} has given every parameter its array. */
	public boolean isInitialized() {
		return block.isInitialized();
	}

	/**
	 * Gives every parameter its initial value, on {@code manager}, drawn from {@code seed}:
	 * He-normal (truncated, Keras) kernels for conv blocks, output and deep-supervision
	 * convolutions; Glorot-uniform kernels for VGG and CGM convolutions; zero biases; BatchNorm
	 * gamma 1, beta 0, moving mean 0, moving variance 1. The same seed gives bitwise-identical
	 * weights.
	 *
	 * <p>Precondition: not yet initialised (DJL never re-initialises a parameter that has an array).
	 *
	 * @throws IllegalStateException if the network is already initialised
	 */
	public void initialize(final NDManager manager, final long seed) {
		initialize(manager, seed, DataType.FLOAT32);
	}

	/**
	 * {@link #initialize(NDManager, long)} with parameters of {@code type}: the same values, rounded
	 * to float32 first (float64 serves tests of the gradient arithmetic, free of float32 rounding).
	 */
	public void initialize(final NDManager manager, final long seed, final DataType type) {
		if (block.isInitialized()) throw new IllegalStateException("the network is already initialised");
		final Map<Parameter, ConvBlock.Kind> kernels = new IdentityHashMap<>();
		for (final ConvBlock c : convBlocks()) kernels.put(c.kernel(), c.kind());
		final SplittableRandom seeds = new SplittableRandom(seed);
		for (final Parameter p : block.getParameters().values()) {
			final long s = seeds.nextLong();
			final ConvBlock.Kind kind = kernels.get(p);
			final Initializer init;
			if (kind == ConvBlock.Kind.CONV_BLOCK) init = RandInit.heNormal(s);
			else if (kind == ConvBlock.Kind.KERAS_DEFAULT) init = RandInit.glorotUniform(s);
			else init = switch (p.getType()) {
				case GAMMA, RUNNING_VAR -> Initializer.ONES;
				case BIAS, BETA, RUNNING_MEAN -> Initializer.ZEROS;
				default -> throw new IllegalStateException("no initialiser for parameter " + p.getName());
			};
			p.setInitializer(init);
		}
		block.initialize(manager, type, inputShape(1));
	}

	/** Runs the forward pass; all outputs exactly when {@code training} (see the class contract). */
	public NDList forward(final ParameterStore ps, final NDArray input, final boolean training) {
		return block.forward(ps, new NDList(input), training);
	}

	/**
	 * Runs the forward pass with BatchNorm/dropout in {@code training} mode, returning all
	 * outputs (d1, heads, CGM) when {@code allOutputs}, else d1 only.
	 */
	public NDList forward(final ParameterStore ps, final NDArray input, final boolean training, final boolean allOutputs) {
		final PairList<String, Object> params = new PairList<>();
		params.add(ALL_OUTPUTS, allOutputs);
		return block.forward(ps, new NDList(input), training, params);
	}

	/**
	 * Runs an inference pass (BatchNorm moving statistics, d1 only) without recording
	 * gradients, freeing every intermediate array as soon as it is consumed: only the input and
	 * the returned probabilities (N, classes, H, W) stay on their managers. The values are
	 * bitwise those of {@code forward(ps, input, false)}.
	 *
	 * <p>NB: PyTorch's grad mode is per thread and on by default (DJL turns it off only on the
	 * thread that starts the engine); a plain inference forward on another thread records a
	 * graph that holds every activation. This switches recording off on the calling thread for
	 * the pass and restores it afterwards.
	 */
	public NDList infer(final ParameterStore ps, final NDArray input) {
		final boolean recording = JniUtils.isGradMode();
		if (recording) JniUtils.setGradMode(false);
		try {
			return forward(ps, input, false, false);
		}
		finally {
			if (recording) JniUtils.setGradMode(true);
		}
	}

	/**
	 * Switches on the inference fast path: every BatchNorm folded into the convolution before
	 * it (see {@code ConvBlock.foldBatchNorm}), from the current weights, on {@code manager}.
	 * Inference passes then run one convolution (+ ReLU) per block; their values differ from
	 * the unfolded pass by float rounding only. Training passes are unaffected.
	 *
	 * <p>NB: an option, not a default: the seed's arithmetic is the unfolded one. The folded
	 * weights are a snapshot; call {@link #unfoldBatchNorm()} before changing the weights.
	 */
	public void foldBatchNorm(final NDManager manager) {
		for (final ConvBlock c : convBlocks()) c.foldBatchNorm(manager);
	}

	/** Switches the inference fast path off again (frees the folded weights). */
	public void unfoldBatchNorm() {
		for (final ConvBlock c : convBlocks()) c.unfoldBatchNorm();
	}

	/**
	 * Names of the outputs in order: {@code d1}; with {@code allOutputs} also {@code d2, d3, d4,
	 * e5} (deep-supervision variants) and {@code cgm} (CGM variant).
	 */
	public List<String> outputNames(final boolean allOutputs) {
		final List<String> names = new ArrayList<>(List.of("d1"));
		if (allOutputs && spec.variant().hasDeepSupervision()) names.addAll(List.of("d2", "d3", "d4", "e5"));
		if (allOutputs && spec.variant().hasClassificationGuide()) names.add("cgm");
		return Collections.unmodifiableList(names);
	}

	/**
	 * The kernels Keras regularises with L2 1e-4: every {@code conv_block} convolution (UNet 3+
	 * encoder, decoder, output and deep-supervision heads). VGG and CGM kernels are not included.
	 */
	public List<Parameter> l2Parameters() {
		final List<Parameter> list = new ArrayList<>();
		for (final ConvBlock c : convBlocks())
			if (c.kind() == ConvBlock.Kind.CONV_BLOCK) list.add(c.kernel());
		return Collections.unmodifiableList(list);
	}

	/**
	 * The L2 penalty {@code 1e-4 · Σ w²} over {@link #l2Parameters()} ({@code headsIncluded}
	 * false leaves out the deep-supervision heads, which only training uses), as a scalar
	 * differentiable in the parameters; every array it creates is attached to {@code manager}
	 * (normally the per-batch manager).
	 */
	public NDArray l2Penalty(final NDManager manager, final boolean headsIncluded) {
		final List<Parameter> skip = headsIncluded ? List.of() : headParameters();
		NDArray sum = manager.zeros(new Shape());
		for (final Parameter p : l2Parameters()) {
			if (skip.contains(p)) continue;
			final NDArray sq = p.getArray().square();
			sq.attach(manager);
			final NDArray s = sq.sum();
			s.attach(manager);
			sum = sum.add(s);
		}
		final NDArray out = Scalars.mul(sum, L2);
		out.attach(manager);
		return out;
	}

	/** The parameters only training uses: the deep-supervision heads' (empty for the base variant). */
	public List<Parameter> headParameters() {
		final List<Parameter> list = new ArrayList<>();
		for (final ConvBlock h : block.heads()) list.addAll(h.getParameters().values());
		return Collections.unmodifiableList(list);
	}

	List<UNet3PlusBlock.Part> parts() {
		return block.parts(inputShape(1));
	}

	private List<ConvBlock> convBlocks() {
		final List<ConvBlock> list = new ArrayList<>();
		collect(block, list);
		return list;
	}

	private static void collect(final Block b, final List<ConvBlock> out) {
		if (b instanceof ConvBlock) out.add((ConvBlock) b);
		for (final Block child : b.getChildren().values()) collect(child, out);
	}
}
