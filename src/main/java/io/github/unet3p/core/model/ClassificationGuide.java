package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The classification-guided module on e5: dropout 0.5 → 1×1 conv → 2 (bias, Glorot-uniform) →
 * global max pool → sigmoid. Returns the two class probabilities (N, 2); index 1 means "this
 * slice contains foreground".
 */
final class ClassificationGuide extends AbstractBlock {

	/** The seed's dropout rate before the CGM convolution. */
	static final float DROPOUT = 0.5f;

	private final Dropout dropout;
	private final ConvBlock conv;

	ClassificationGuide() {
		dropout = addChildBlock("dropout", Dropout.builder().optRate(DROPOUT).build());
		conv = addChildBlock("conv", ConvBlock.pointwise(2));
	}

	/**
	 * The gate the seed multiplies into every segmentation output: argmax of the probabilities,
	 * as 0/1, shape (N, 1, 1, 1); with {@code free}, the intermediate arrays are closed.
	 */
	static NDArray gate(final NDArray probabilities, final boolean free) {
		final long n = probabilities.getShape().get(0);
		final NDArray index = probabilities.argMax(1);
		final NDArray asFloat = Intermediates.consumed(index.toType(DataType.FLOAT32, false), index, free);
		return Intermediates.consumed(asFloat.reshape(n, 1, 1, 1), asFloat, free);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		final boolean free = Intermediates.freeable(training, params);
		final NDArray in = inputs.singletonOrThrow();
		final NDArray dropped = dropout.forward(ps, inputs, training, params).singletonOrThrow();
		final NDArray x = conv.forward(ps, new NDList(dropped), training, params).singletonOrThrow();
		if (dropped != in) Intermediates.consumed(x, dropped, free);
		final NDArray pooled = Intermediates.consumed(Pool.globalMaxPool2d(x), x, free);
		return new NDList(Intermediates.consumed(Activation.sigmoid(pooled), pooled, free));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		return new Shape[] { new Shape(inputShapes[0].get(0), 2) };
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		dropout.initialize(manager, dataType, inputShapes);
		conv.initialize(manager, dataType, inputShapes);
	}
}
