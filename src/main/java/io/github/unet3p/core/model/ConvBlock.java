package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One convolution of the seed (NB: Keras' {@code Conv2D} has a bias by default, and the seed's
 * {@code conv_block} keeps it even before BatchNorm, so every convolution here has one): a {@code k × k} convolution with bias, "same" padding, stride 1,
 * optionally followed by BatchNorm and ReLU.
 *
 * <p>{@link Kind#CONV_BLOCK} is the seed's {@code conv_block} (He-normal kernel with L2 1e-4,
 * even without BN/ReLU for the output and deep-supervision convolutions); {@link Kind#KERAS_DEFAULT}
 * is a plain Keras {@code Conv2D} (Glorot-uniform kernel, no regulariser: VGG and the CGM branch).
 */
final class ConvBlock extends AbstractBlock {

	/** Keras' BatchNormalization momentum: moving = 0.99 · moving + 0.01 · batch. */
	static final float BN_MOMENTUM = 0.99f;
	/** Keras' BatchNormalization epsilon. */
	static final float BN_EPSILON = 1e-3f;

	/** How the kernel is initialised and regularised. */
	enum Kind {
		/** He-normal (truncated) kernel, L2 1e-4: the seed's {@code conv_block}. */
		CONV_BLOCK,
		/** Glorot-uniform kernel, no regulariser: Keras' {@code Conv2D} defaults. */
		KERAS_DEFAULT
	}

	private final Kind kind;
	private final int kernel;
	private final int filters;
	private final Conv2d conv;
	private final BatchNorm bn;
	private final boolean relu;
	/** The inference fast path: BatchNorm folded into the convolution (null unless {@link #foldBatchNorm}). */
	private NDArray foldedWeight;
	private NDArray foldedBias;

	private ConvBlock(final Kind kind, final int kernel, final int filters, final boolean bn, final boolean relu) {
		this.kind = kind;
		this.kernel = kernel;
		this.filters = filters;
		final int pad = kernel / 2;
		this.conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
			.optPadding(new Shape(pad, pad)).optBias(true).build());
		this.bn = bn ? addChildBlock("bn", BatchNorm.builder().optAxis(1).optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build()) : null;
		this.relu = relu;
	}

	/** The seed's {@code conv_block(n=1)}: 3×3 conv + BN + ReLU, He-normal with L2. */
	static ConvBlock convBnRelu(final int filters) {
		return new ConvBlock(Kind.CONV_BLOCK, 3, filters, true, true);
	}

	/** The seed's output convolution ({@code conv_block} without BN and ReLU): 3×3 conv with bias, He-normal with L2. */
	static ConvBlock output(final int classes) {
		return new ConvBlock(Kind.CONV_BLOCK, 3, classes, false, false);
	}

	/** A Keras VGG convolution: 3×3 conv with bias + ReLU, Glorot-uniform, no BN. */
	static ConvBlock vgg(final int filters) {
		return new ConvBlock(Kind.KERAS_DEFAULT, 3, filters, false, true);
	}

	/** A plain Keras {@code Conv2D} with a 1×1 kernel (the CGM branch): bias, Glorot-uniform, no activation. */
	static ConvBlock pointwise(final int filters) {
		return new ConvBlock(Kind.KERAS_DEFAULT, 1, filters, false, false);
	}

	/** How this convolution's kernel is initialised and regularised. */
	Kind kind() {
		return kind;
	}

	/** The convolution kernel, (filters, in, k, k). */
	Parameter kernel() {
		return conv.getParameters().get("weight");
	}

	/**
	 * Folds BatchNorm into the convolution for inference passes: {@code w' = w·s},
	 * {@code b' = (b − mean)·s + beta} with {@code s = gamma / sqrt(var + eps)}, computed in
	 * float64 from the current weights and rounded to float32 once; the arrays live on
	 * {@code manager}. Training passes are unaffected. Without BatchNorm nothing changes.
	 * NB: the folded weights are a snapshot: fold again (or {@link #unfoldBatchNorm}) after the
	 * weights change.
	 */
	void foldBatchNorm(final NDManager manager) {
		if (bn == null) return;
		unfoldBatchNorm();
		final PairList<String, Parameter> b = bn.getParameters();
		try (NDManager scratch = manager.newSubManager()) {
			final NDArray gamma = f64(b.get("gamma"), scratch);
			final NDArray var = f64(b.get("runningVar"), scratch);
			final NDArray scale = gamma.div(Scalars.add(var, BN_EPSILON).sqrt());
			final NDArray w = f64(conv.getParameters().get("weight"), scratch);
			final NDArray bias = f64(conv.getParameters().get("bias"), scratch);
			final NDArray mean = f64(b.get("runningMean"), scratch);
			final NDArray beta = f64(b.get("beta"), scratch);
			foldedWeight = w.mul(scale.reshape(-1, 1, 1, 1)).toType(DataType.FLOAT32, false);
			foldedBias = bias.sub(mean).mul(scale).add(beta).toType(DataType.FLOAT32, false);
			foldedWeight.attach(manager);
			foldedBias.attach(manager);
		}
	}

	/** Drops the folded weights: inference runs convolution and BatchNorm separately again. */
	void unfoldBatchNorm() {
		if (foldedWeight != null) foldedWeight.close();
		if (foldedBias != null) foldedBias.close();
		foldedWeight = null;
		foldedBias = null;
	}

	private static NDArray f64(final Parameter p, final NDManager scratch) {
		final NDArray a = p.getArray().toType(DataType.FLOAT64, true);
		a.attach(scratch);
		return a;
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(ps, inputs.singletonOrThrow(), false, training, params));
	}

	/**
	 * The forward pass on one array; with {@code ownsInput}, {@code input} is an intermediate of
	 * the caller that this block may close as soon as the convolution has read it (only when
	 * intermediates are freed at all, see {@link Intermediates}).
	 */
	NDArray apply(final ParameterStore ps, final NDArray input, final boolean ownsInput, final boolean training,
		final PairList<String, Object> params)
	{
		final boolean free = Intermediates.freeable(training, params);
		if (!training && foldedWeight != null) {
			final int pad = kernel / 2;
			final NDArray y = Conv2d.conv2d(input, foldedWeight, foldedBias, new Shape(1, 1), new Shape(pad, pad)).singletonOrThrow();
			if (ownsInput) Intermediates.consumed(y, input, free);
			return relu ? Intermediates.consumed(Activation.relu(y), y, free) : y;
		}
		final NDArray convolved = conv.forward(ps, new NDList(input), training, params).singletonOrThrow();
		if (ownsInput) Intermediates.consumed(convolved, input, free);
		NDArray x = convolved;
		if (bn != null) x = Intermediates.consumed(bn.forward(ps, new NDList(x), training, params).singletonOrThrow(), x, free);
		if (relu) x = Intermediates.consumed(Activation.relu(x), x, free);
		return x;
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape in = inputShapes[0];
		return new Shape[] { new Shape(in.get(0), filters, in.get(2), in.get(3)) };
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		conv.initialize(manager, dataType, inputShapes);
		if (bn != null) bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
	}

	@Override
	public String toString() {
		return "ConvBlock(" + kernel + "x" + kernel + " -> " + filters + (bn != null ? ", BN" : "") + (relu ? ", ReLU" : "") + ")";
	}
}
