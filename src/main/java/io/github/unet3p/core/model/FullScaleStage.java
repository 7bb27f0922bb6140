package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One full-scale decoder stage {@code d<level>} (level 4…1): takes the five maps of levels 1…5
 * (encoder maps at levels ≤ {@code level}, decoder maps d4…d2 or e5 above it), brings each to
 * this level's resolution — max-pool by 2^(level − j) for shallower maps, bilinear upsampling by
 * 2^(j − level) for deeper ones — passes each through [3×3 conv → filters + BN + ReLU],
 * concatenates them (5·filters channels, in level order 1…5) and fuses with
 * [3×3 conv 5·filters → 5·filters + BN + ReLU].
 */
final class FullScaleStage extends AbstractBlock {

	private final int level;
	private final ConvBlock[] branches = new ConvBlock[5];
	private final ConvBlock fuse;

	FullScaleStage(final int level, final int filters) {
		this.level = level;
		for (int j = 1; j <= 5; j++)
			branches[j - 1] = addChildBlock(branchName(j), ConvBlock.convBnRelu(filters));
		fuse = addChildBlock("fuse", ConvBlock.convBnRelu(5 * filters));
	}

	private String branchName(final int j) {
		return (j <= level || j == 5 ? "e" : "d") + j + "_d" + level;
	}

	/** Brings source map {@code x} of level {@code j} to this stage's level. */
	private NDArray resample(final NDArray x, final int j) {
		if (j < level) return Resample.maxPool(x, 1 << (level - j));
		if (j > level) return Resample.upsample(x, 1 << (j - level));
		return x;
	}

	private Shape resampledShape(final Shape s, final int j) {
		final int shift = j - level;
		final long h = shift >= 0 ? s.get(2) << shift : s.get(2) >> -shift;
		final long w = shift >= 0 ? s.get(3) << shift : s.get(3) >> -shift;
		return new Shape(s.get(0), s.get(1), h, w);
	}

	/**
	 * @param inputs the five maps of levels 1…5, each at its own level's resolution
	 * @return {@code d<level>}: (N, 5·filters, H / 2^(level−1), W / 2^(level−1))
	 */
	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		final NDList cat = new NDList(5);
		final boolean free = Intermediates.freeable(training, params);
		for (int j = 1; j <= 5; j++) {
			final NDArray source = inputs.get(j - 1);
			final NDArray x = resample(source, j);
			// The sources belong to the caller; only their resampled copies are freed here.
			cat.add(branches[j - 1].apply(ps, x, x != source, training, params));
		}
		final NDArray joined = NDArrays.concat(cat, 1);
		if (free) cat.close();
		// NB: the concatenation is freed right after the fuse convolution has read it, before its
		// BatchNorm: the full-resolution stage then never holds more than two 5·filters maps.
		return new NDList(fuse.apply(ps, joined, true, training, params));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape s = resampledShape(inputShapes[0], 1);
		return fuse.getOutputShapes(new Shape[] { s });
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		Shape cat = null;
		for (int j = 1; j <= 5; j++) {
			final Shape in = resampledShape(inputShapes[j - 1], j);
			branches[j - 1].initialize(manager, dataType, in);
			final Shape out = branches[j - 1].getOutputShapes(new Shape[] { in })[0];
			cat = cat == null ? out : new Shape(out.get(0), cat.get(1) + out.get(1), out.get(2), out.get(3));
		}
		fuse.initialize(manager, dataType, cat);
	}
}
