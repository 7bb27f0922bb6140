package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * The reference recipe's IoU (Jaccard) loss: {@code 1 − mean over the batch of (I + s)/(U + s)},
 * with {@code I = Σ|y·p|} and {@code U = Σy + Σp − I} summed over height, width and classes of each
 * image, and smoothing s = 1.
 *
 * <p>NB: s = 1 is the recipe's {@code iou(y_true, y_pred, smooth=1)} (the loss file that also
 * holds its {@code DiceCoefficient} metric); an older version of that file used 1e-9, which made
 * an empty single-channel slice score a loss of 1 against any faint prediction. With one-hot masks
 * over two classes the background channel is never empty, so s matters most for a single sigmoid
 * channel. Another smoothing is available through {@link #IouLoss(double)}.
 */
public final class IouLoss extends SegmentationLoss {

	/** The reference recipe's smoothing. */
	public static final double SMOOTH = 1;

	private final double smooth;

	/** The reference recipe's IoU loss (s = 1). */
	public IouLoss() {
		this(SMOOTH);
	}

	/**
	 * An IoU loss with smoothing {@code smooth}.
	 *
	 * @throws IllegalArgumentException if {@code smooth} is not finite and positive
	 */
	public IouLoss(final double smooth) {
		super("iou_loss");
		if (!(smooth > 0) || Double.isInfinite(smooth))
			throw new IllegalArgumentException("IoU smoothing must be finite and positive; got " + smooth + ".");
		this.smooth = smooth;
	}

	@Override
	protected NDArray value(final NDArray truth, final NDArray prediction) {
		final NDArray intersection = sumPerImage(truth.mul(prediction).abs());
		final NDArray union = sumPerImage(truth).add(sumPerImage(prediction)).sub(intersection);
		return Scalars.add(Scalars.add(intersection, smooth).div(Scalars.add(union, smooth)).mean().neg(), 1);
	}
}
