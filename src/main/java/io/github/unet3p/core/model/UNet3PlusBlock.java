package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.unet3p.core.util.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole UNet 3+ as one DJL block; see {@link UNet3PlusNet} for the contract of its forward pass.
 *
 * <p>Children, in this order (which is also the order of the saved parameters): encoder,
 * classification-guided module (CGM variant only), decoder stages d4, d3, d2, d1, output
 * convolution, deep-supervision heads on d2, d3, d4, e5 (deep-supervision variants only).
 */
final class UNet3PlusBlock extends AbstractBlock {

	private static final byte VERSION = 1;

	private final ModelSpec spec;
	private final Encoder encoder;
	private final ClassificationGuide cgm;
	/** Decoder stage d<level> at index level − 1 (levels 1…4). */
	private final FullScaleStage[] decoder = new FullScaleStage[4];
	private final ConvBlock output;
	/** Deep-supervision head on level k (d2, d3, d4, e5) at index k − 2; empty without deep supervision. */
	private final ConvBlock[] heads;

	UNet3PlusBlock(final ModelSpec spec) {
		super(VERSION);
		this.spec = spec;
		final int f = spec.filters();
		encoder = addChildBlock("encoder", new Encoder(spec.backbone(), f));
		cgm = spec.variant().hasClassificationGuide() ? addChildBlock("cgm", new ClassificationGuide()) : null;
		for (int level = 4; level >= 1; level--)
			decoder[level - 1] = addChildBlock("d" + level, new FullScaleStage(level, f));
		output = addChildBlock("output", ConvBlock.output(spec.classes()));
		heads = new ConvBlock[spec.variant().hasDeepSupervision() ? 4 : 0];
		for (int i = 0; i < heads.length; i++)
			heads[i] = addChildBlock("head_" + levelName(i + 2), ConvBlock.output(spec.classes()));
	}

	private static String levelName(final int level) {
		return (level == 5 ? "e" : "d") + level;
	}

	ModelSpec spec() {
		return spec;
	}

	/** The deep-supervision heads (d2, d3, d4, e5), empty for the base variant. */
	List<ConvBlock> heads() {
		return List.of(heads);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray x = inputs.singletonOrThrow();
		checkInput(x.getShape());
		final Object flag = params == null ? null : params.get(UNet3PlusNet.ALL_OUTPUTS);
		final boolean all = flag instanceof Boolean ? (Boolean) flag : training;

		final boolean free = Intermediates.freeable(training, params);
		final boolean headsRun = all && heads.length > 0;
		final NDList e = encoder.forward(ps, new NDList(x), training, params);
		NDArray probabilities = null;
		NDArray gate = null;
		if (cgm != null) {
			probabilities = cgm.forward(ps, new NDList(e.get(4)), training, params).singletonOrThrow();
			gate = ClassificationGuide.gate(probabilities, free);
			if (free && !all) probabilities.close();
		}
		final NDArray[] d = new NDArray[5];
		for (int level = 4; level >= 1; level--) {
			final NDList sources = new NDList(5);
			for (int j = 1; j <= 5; j++)
				sources.add(j <= level || j == 5 ? e.get(j - 1) : d[j]);
			d[level] = decoder[level - 1].forward(ps, sources, training, params).singletonOrThrow();
			// NB: e<level> is read by d<level> last (d<k> reads e1…e<k>).
			if (free) e.get(level - 1).close();
		}
		if (free && !headsRun) {
			e.get(4).close();
			for (int level = 2; level <= 4; level++) d[level].close();
		}
		final NDList out = new NDList();
		final NDArray logits = output.forward(ps, new NDList(d[1]), training, params).singletonOrThrow();
		if (free) d[1].close();
		out.add(activate(logits, gate, free));
		if (headsRun) {
			for (int level = 2; level <= 5; level++) {
				final NDArray src = level == 5 ? e.get(4) : d[level];
				final NDArray headLogits = heads[level - 2].forward(ps, new NDList(src), training, params).singletonOrThrow();
				out.add(activate(Intermediates.consumed(Resample.upsample(headLogits, 1 << (level - 1)), headLogits, free), gate, free));
			}
			if (probabilities != null) out.add(probabilities);
			if (free) {
				e.get(4).close();
				for (int level = 2; level <= 4; level++) d[level].close();
			}
		}
		if (free && gate != null) gate.close();
		return out;
	}

	/**
	 * The seed's final activation, after the CGM gate when there is one; with {@code free}, the
	 * logits (and gated logits) are closed once used.
	 */
	private NDArray activate(final NDArray logits, final NDArray gate, final boolean free) {
		final NDArray gated = Intermediates.consumed(gate == null ? logits : logits.mul(gate), logits, free);
		return Intermediates.consumed(spec.classes() == 1 ? Activation.sigmoid(gated) : gated.softmax(1), gated, free);
	}

	private static void checkInput(final Shape s) {
		if (s.dimension() != 4 || s.get(1) != ModelSpec.CHANNELS || s.get(2) < 16 || s.get(3) < 16 || s.get(2) % 16 != 0 ||
			s.get(3) % 16 != 0)
			throw new InvalidInputException("model input: got shape " + s +
				"; expected (N, 3, H, W) with H and W positive multiples of 16");
	}

	/** The inference output shape: {@code (N, classes, H, W)} for input {@code (N, 3, H, W)}. */
	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape in = inputShapes[0];
		return new Shape[] { new Shape(in.get(0), spec.classes(), in.get(2), in.get(3)) };
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		encoder.initialize(manager, dataType, inputShapes);
		final Shape[] e = encoder.getOutputShapes(inputShapes);
		if (cgm != null) cgm.initialize(manager, dataType, e[4]);
		final Shape[] d = new Shape[5];
		for (int level = 4; level >= 1; level--) {
			final Shape[] sources = new Shape[5];
			for (int j = 1; j <= 5; j++)
				sources[j - 1] = j <= level || j == 5 ? e[j - 1] : d[j];
			decoder[level - 1].initialize(manager, dataType, sources);
			d[level] = decoder[level - 1].getOutputShapes(sources)[0];
		}
		output.initialize(manager, dataType, d[1]);
		for (int level = 2; level <= 5 && heads.length > 0; level++)
			heads[level - 2].initialize(manager, dataType, level == 5 ? e[4] : d[level]);
	}

	/**
	 * The model's parts in forward order with their output shapes for {@code input}, for summaries.
	 */
	List<Part> parts(final Shape input) {
		final List<Part> parts = new ArrayList<>();
		final Shape[] e = encoder.getOutputShapes(new Shape[] { input });
		for (int s = 1; s <= 5; s++)
			parts.add(new Part("encoder." + (spec.backbone().isVgg() ? "block" : "stage") + s, encoder.stage(s), e[s - 1], false));
		if (cgm != null) parts.add(new Part("cgm", cgm, new Shape(input.get(0), 2), false));
		for (int level = 4; level >= 1; level--) {
			final Shape d = new Shape(input.get(0), spec.decoderWidth(), input.get(2) >> (level - 1), input.get(3) >> (level - 1));
			parts.add(new Part("decoder.d" + level, decoder[level - 1], d, false));
		}
		final Shape full = getOutputShapes(new Shape[] { input })[0];
		parts.add(new Part("output", output, full, false));
		for (int i = 0; i < heads.length; i++)
			parts.add(new Part("head." + levelName(i + 2), heads[i], full, true));
		return parts;
	}

	/** A named part of the model: its block, its output shape and whether only training uses it. */
	record Part(String name, Block block, Shape output, boolean trainingOnly) {}
}
