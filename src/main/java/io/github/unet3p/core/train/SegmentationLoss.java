package io.github.unet3p.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * A loss between a mask and a prediction of the same NCHW shape that returns a scalar and can be
 * back-propagated on DJL's PyTorch engine.
 *
 * <p>Layout: both tensors are B × C × H × W. The prediction holds probabilities (after softmax
 * over C, or after a sigmoid when C = 1); the mask is one-hot over C (or 0/1 when C = 1). The
 * mask may be of any numeric type; it is converted to the prediction's type.
 *
 * <p>It is a DJL {@link Loss}, so a {@code Trainer} can use it directly: {@link #evaluate} takes
 * the first array of the labels and of the predictions.
 *
 * <p>NB: every intermediate array lives in a sub-manager of the prediction's manager that is
 * closed before {@link #compute} returns; only the scalar result is attached to the prediction's
 * manager. PyTorch's autograd graph keeps its own references, so back-propagation through the
 * result still works after the intermediates are closed.
 */
public abstract class SegmentationLoss extends Loss {

	/** Creates a loss with the name DJL shows in its training logs. */
	protected SegmentationLoss(final String name) {
		super(name);
	}

	/** The loss of {@code predictions.head()} against {@code labels.head()} (see {@link #compute}). */
	@Override
	public final NDArray evaluate(final NDList labels, final NDList predictions) {
		return compute(labels.head(), predictions.head());
	}

	/**
	 * The scalar loss of {@code prediction} against {@code truth}, both B × C × H × W, attached to
	 * the prediction's manager.
	 *
	 * @throws IllegalArgumentException if the shapes differ, are not of rank 4, or the prediction
	 *         is not floating point
	 */
	public final NDArray compute(final NDArray truth, final NDArray prediction) {
		checkPair(truth, prediction);
		final NDManager owner = prediction.getManager();
		try (NDManager scope = owner.newSubManager()) {
			attach(scope, truth, prediction);
			final NDArray result = value(asTypeOf(truth, prediction), prediction);
			checkResult(result, prediction);
			result.attach(owner);
			return result;
		}
	}

	/**
	 * Computes the loss; every array it creates stays in the managers of its inputs.
	 *
	 * @param truth mask of the prediction's type and shape
	 * @param prediction probabilities, B × C × H × W
	 * @return a scalar
	 */
	protected abstract NDArray value(NDArray truth, NDArray prediction);

	/** Checks what every segmentation loss needs: two NCHW tensors of one shape. */
	static void checkPair(final NDArray truth, final NDArray prediction) {
		final Shape t = truth.getShape();
		final Shape p = prediction.getShape();
		if (p.dimension() != 4 || !t.equals(p))
			throw new IllegalArgumentException("A segmentation loss needs a mask and a prediction of one shape B×C×H×W; got mask "
				+ t + " and prediction " + p + ".");
		if (p.size() == 0)
			throw new IllegalArgumentException("A segmentation loss needs a non-empty prediction; got " + p + ".");
		if (!prediction.getDataType().isFloating())
			throw new IllegalArgumentException("A segmentation loss needs floating-point probabilities; got " + prediction.getDataType() + ".");
	}

	/** Moves the given arrays into {@code scope} until it closes (each once, even if repeated). */
	static void attach(final NDManager scope, final NDArray... arrays) {
		for (int i = 0; i < arrays.length; i++) {
			boolean seen = false;
			for (int j = 0; j < i; j++)
				seen |= arrays[j] == arrays[i];
			if (!seen) scope.tempAttachAll(arrays[i]);
		}
	}

	/**
	 * Checks that a loss came out as a scalar of the prediction's type.
	 *
	 * <p>NB: in DJL 0.36 on PyTorch, {@code toType} returns an array cut from the autograd graph,
	 * so a loss must never be converted after the fact. The trap: a 0-d float32 array plus a Java
	 * {@code double} is float64 in PyTorch, so constants are added before the last reduction.
	 */
	static void checkResult(final NDArray result, final NDArray prediction) {
		if (result.getShape().dimension() != 0 || result.getDataType() != prediction.getDataType())
			throw new IllegalStateException("A loss must be a scalar of the prediction's type " + prediction.getDataType()
				+ "; got " + result.getDataType() + " " + result.getShape() + ".");
	}

	/** {@code array} converted to the data type of {@code like} (itself when it already is). */
	static NDArray asTypeOf(final NDArray array, final NDArray like) {
		final DataType type = like.getDataType();
		return array.getDataType() == type ? array : array.toType(type, false);
	}

	/** The per-image sum over C, H and W: a B-vector. */
	static NDArray sumPerImage(final NDArray x) {
		return x.sum(new int[] { 1, 2, 3 });
	}
}
