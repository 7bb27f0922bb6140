package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * The reference recipe's IoU (Jaccard) loss: {@code 1 − mean over the batch of (I + s)/(U + s)},
 * with {@code I = Σ|y·p|} and {@code U = Σy + Σp − I} summed over height, width and classes of each
 * image, and smoothing s = 1e-9.
 *
 * <p>NB: s = 1e-9 is the recipe's {@code iou(y_true, y_pred, smooth=1.e-9)} in {@code losses/loss.py}
 * (the file that also holds its {@code DiceCoefficient} metric; {@code iou_loss} passes no smoothing).
 * The value 1 comes from another branch of the upstream repository ({@code unet3p_lits}), not from
 * the recipe. With s this small an empty single-channel slice scores a loss of about 1 against any
 * faint prediction; with one-hot masks over two classes the background channel is never empty, so
 * that matters only for a single sigmoid channel. Another smoothing is available through
 * {@link #IouLoss(double)}.
 */
public final class IouLoss extends SegmentationLoss {

	/** The reference recipe's smoothing. */
	public static final double SMOOTH = 1e-9;

	private final double smooth;

	/** The reference recipe's IoU loss (s = 1e-9). */
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
