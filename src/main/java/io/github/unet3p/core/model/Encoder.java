package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The five-stage encoder; returns the five taps {@code e1…e5} (full, 1/2, 1/4, 1/8, 1/16 size).
 *
 * <p>Stage 1 is the stage's convolutions on the input; stages 2–5 are a 2×2 max-pool followed by
 * the stage's convolutions. For {@code unet3plus} every convolution is a conv + BN + ReLU block;
 * for {@code vgg16}/{@code vgg19} the Keras VGG layout (conv + bias + ReLU) with taps
 * block1_conv2, block2_conv2, block3_conv3|4, block4_conv3|4, block5_conv3|4 (Keras' final
 * block5_pool is not part of the model since nothing reads it).
 */
final class Encoder extends AbstractBlock {

	private final SequentialBlock[] stages = new SequentialBlock[5];
	private final int[] widths = new int[5];

	Encoder(final Backbone backbone, final int filters) {
		for (int s = 1; s <= 5; s++) {
			final SequentialBlock stage = new SequentialBlock();
			if (s > 1) stage.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
			final int width = backbone.width(s, filters);
			for (int c = 0; c < backbone.convsInStage(s); c++)
				stage.add(backbone.isVgg() ? ConvBlock.vgg(width) : ConvBlock.convBnRelu(width));
			widths[s - 1] = width;
			stages[s - 1] = addChildBlock("stage" + s, stage);
		}
	}

	/** The stage block producing {@code e<stage>} from {@code e<stage-1>} (or the input). */
	SequentialBlock stage(final int stage) {
		return stages[stage - 1];
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		final NDList taps = new NDList(5);
		NDArray x = inputs.singletonOrThrow();
		final boolean free = Intermediates.freeable(training, params);
		for (final SequentialBlock stage : stages) {
			// NB: the stage's layers run one by one (as SequentialBlock would) so that the arrays
			// between them can be freed; the taps themselves belong to the caller.
			final NDArray stageInput = x;
			for (final Block layer : stage.getChildren().values()) {
				if (layer instanceof ConvBlock) {
					x = ((ConvBlock) layer).apply(ps, x, x != stageInput, training, params);
					continue;
				}
				final NDArray y = layer.forward(ps, new NDList(x), training, params).singletonOrThrow();
				x = x == stageInput ? y : Intermediates.consumed(y, x, free);
			}
			taps.add(x);
		}
		return taps;
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape in = inputShapes[0];
		final Shape[] out = new Shape[5];
		for (int s = 0; s < 5; s++)
			out[s] = new Shape(in.get(0), widths[s], in.get(2) >> s, in.get(3) >> s);
		return out;
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		Shape[] x = inputShapes;
		for (final SequentialBlock stage : stages) {
			stage.initialize(manager, dataType, x);
			x = stage.getOutputShapes(x);
		}
	}
}
