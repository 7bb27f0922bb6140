package io.github.unet3p.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.EngineArrays;
import io.github.unet3p.core.model.UNet3PlusNet;

/**
 * What a training step minimises: the network's outputs on a batch scored by the (deep-supervision)
 * loss, plus the L2 penalty on the network's kernels.
 *
 * <p>NB: {@code batchStatistics} is true for training (BatchNorm normalises with the batch's own
 * statistics and updates its moving statistics; dropout is on). Tests set it false to compare
 * gradients with BatchNorm's effect isolated: then BatchNorm uses its moving statistics and the
 * loss of a batch is exactly the size-weighted mean of the losses of its parts.
 */
public final class StepObjective {

	private final UNet3PlusNet net;
	private final DeepSupervisionLoss loss;
	private final boolean batchStatistics;
	/** The type of the network's parameters, read once on the first step (the walk over the blocks is not free). */
	private DataType parameterType;

	/** The training objective: {@code loss} on {@code net}'s outputs in training mode, plus L2. */
	public StepObjective(final UNet3PlusNet net, final DeepSupervisionLoss loss) {
		this(net, loss, true);
	}

	StepObjective(final UNet3PlusNet net, final DeepSupervisionLoss loss, final boolean batchStatistics) {
		this.net = net;
		this.loss = loss;
		this.batchStatistics = batchStatistics;
	}

	/** The network being trained. */
	public UNet3PlusNet net() {
		return net;
	}

	/**
	 * {@code weight · loss(images[from, from + count))} plus, when {@code withL2}, the L2 penalty,
	 * as a scalar on {@code sub}'s device, differentiable in the parameters {@code store} hands out.
	 * Every array it creates is attached to {@code sub}.
	 */
	NDArray evaluate(final ParameterStore store, final TrainingBatch batch, final int from, final int count, final double weight, final boolean withL2,
			final NDManager sub) {
		final int image = 3 * batch.height() * batch.width();
		final int target = batch.classes() * batch.height() * batch.width();
		NDArray x = EngineArrays.create(sub, slice(batch.images(), from * image, count * image, batch.size() == count),
				new Shape(count, 3, batch.height(), batch.width()));
		NDArray y = EngineArrays.create(sub, slice(batch.targets(), from * target, count * target, batch.size() == count),
				new Shape(count, batch.classes(), batch.height(), batch.width()));
		if (parameterType == null) parameterType = net.block().getParameters().valueAt(0).getArray().getDataType();
		final DataType type = parameterType;
		if (type != DataType.FLOAT32) {
			// NB: a network cast to another type (float64 in tests of the gradient arithmetic) gets
			// its inputs and targets in that type.
			x = x.toType(type, false);
			y = y.toType(type, false);
		}
		final NDList out = net.forward(store, x, batchStatistics, true);
		out.attach(sub);
		NDArray total = loss.evaluate(new NDList(y), out);
		total.attach(sub);
		if (weight != 1) {
			// NB: a PyTorch-owned scalar, not mul(Number): autograd may keep its operand.
			total = total.mul(total.getDataType() == DataType.FLOAT64 ? EngineArrays.create(sub, new double[] { weight }, new Shape())
					: EngineArrays.create(sub, new float[] { (float) weight }, new Shape()));
			total.attach(sub);
		}
		if (withL2) {
			total = total.add(net.l2Penalty(sub, true));
			total.attach(sub);
		}
		return total;
	}

	private static float[] slice(final float[] values, final int from, final int length, final boolean whole) {
		return whole ? values : java.util.Arrays.copyOfRange(values, from, from + length);
	}
}
