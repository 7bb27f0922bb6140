package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy for the classification-guided module (CGM): the mean over all entries of
 * {@code −(t·log(q) + (1 − t)·log(1 − q))}, {@code q = clip(p, 1e-7, 1 − 1e-7)}.
 *
 * <p>The CGM output is the B × 2 sigmoid vector the seed computes before its argmax (column 0:
 * "no foreground", column 1: "foreground"), or a B × 1 probability of foreground. Its targets
 * come from the segmentation mask ({@link #presenceTargets}): a slice is positive when any of its
 * pixels is foreground, as in the UNet 3+ paper.
 */
public final class BinaryCrossEntropyLoss extends Loss {

	/** BCE for the CGM branch. */
	public BinaryCrossEntropyLoss() {
		super("cgm_bce_loss");
	}

	/** The loss of {@code predictions.head()} against {@code labels.head()} (see {@link #compute}). */
	@Override
	public NDArray evaluate(final NDList labels, final NDList predictions) {
		return compute(labels.head(), predictions.head());
	}

	/**
	 * The scalar BCE of probabilities {@code prediction} against 0/1 {@code target} of the same
	 * shape, attached to the prediction's manager.
	 *
	 * @throws IllegalArgumentException if the shapes differ or the prediction is not floating point
	 */
	public NDArray compute(final NDArray target, final NDArray prediction) {
		if (!target.getShape().equals(prediction.getShape()) || prediction.getShape().size() == 0)
			throw new IllegalArgumentException("Binary cross-entropy needs a target and a prediction of one non-empty shape; got "
				+ target.getShape() + " and " + prediction.getShape() + ".");
		if (!prediction.getDataType().isFloating())
			throw new IllegalArgumentException("Binary cross-entropy needs floating-point probabilities; got "
				+ prediction.getDataType() + ".");
		final NDManager owner = prediction.getManager();
		try (NDManager scope = owner.newSubManager()) {
			SegmentationLoss.attach(scope, target, prediction);
			final NDArray t = SegmentationLoss.asTypeOf(target, prediction);
			final NDArray result = CrossEntropyLoss.binary(t, prediction).mean();
			SegmentationLoss.checkResult(result, prediction);
			result.attach(owner);
			return result;
		}
	}

	/**
	 * The CGM targets of a batch of masks: per image, 1 if any pixel is foreground, else 0.
	 *
	 * <p>Foreground means a value above 0.5 in any channel but the first when the mask is one-hot
	 * (C ≥ 2), or in the only channel when C = 1.
	 *
	 * @param mask B × C × H × W
	 * @param columns 2 for the seed's two-column CGM output ({@code [1 − t, t]}), 1 for {@code [t]}
	 * @return B × columns, of the mask's manager and float32
	 * @throws IllegalArgumentException if the mask is not of rank 4 or {@code columns} is not 1 or 2
	 */
	public static NDArray presenceTargets(final NDArray mask, final int columns) {
		final Shape shape = mask.getShape();
		if (shape.dimension() != 4 || shape.size() == 0)
			throw new IllegalArgumentException("CGM targets need a non-empty B×C×H×W mask; got " + shape + ".");
		if (columns != 1 && columns != 2)
			throw new IllegalArgumentException("The CGM output has 1 or 2 columns; got " + columns + ".");
		final long batch = shape.get(0);
		final long channels = shape.get(1);
		final NDManager owner = mask.getManager();
		try (NDManager scope = owner.newSubManager()) {
			scope.tempAttachAll(mask);
			final NDArray foreground = channels == 1 ? mask : mask.get(":, 1:");
			final NDArray present = Scalars.gt(foreground, 0.5).toType(DataType.FLOAT32, false).reshape(batch, -1)
				.max(new int[] { 1 }, true);
			final NDArray result = columns == 1 ? present : Scalars.add(present.neg(), 1).concat(present, 1);
			result.attach(owner);
			return result;
		}
	}
}
