package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * Soft Dice loss: {@code 1 − mean over images and classes of (2·Σ y·p + s)/(Σy + Σp + s)}, the
 * sums taken over height and width of one class of one image, s = 1 by default.
 *
 * <p>This is the seed's soft {@code dice_coef} (its Dice on probabilities: per class for C ≥ 2,
 * averaged) turned into a loss, with s = 1 rather than the metric's 1e-9 so that a class absent
 * from the mask and nearly absent from the prediction scores close to 1 instead of close to 0.
 * Not part of the seed's training; offered as {@code loss='dice'}.
 */
public final class DiceLoss extends SegmentationLoss {

	/** The default smoothing. */
	public static final double SMOOTH = 1;

	private final double smooth;

	/** Soft Dice loss with s = 1. */
	public DiceLoss() {
		this(SMOOTH);
	}

	/**
	 * Soft Dice loss with smoothing {@code smooth}.
	 *
	 * @throws IllegalArgumentException if {@code smooth} is not finite and positive
	 */
	public DiceLoss(final double smooth) {
		super("dice_loss");
		if (!(smooth > 0) || Double.isInfinite(smooth))
			throw new IllegalArgumentException("Dice smoothing must be finite and positive; got " + smooth + ".");
		this.smooth = smooth;
	}

	@Override
	protected NDArray value(final NDArray truth, final NDArray prediction) {
		final int[] space = { 2, 3 };
		final NDArray overlap = truth.mul(prediction).sum(space);
		final NDArray total = truth.sum(space).add(prediction.sum(space));
		return Scalars.add(Scalars.add(Scalars.mul(overlap, 2), smooth).div(Scalars.add(total, smooth)).mean().neg(), 1);
	}
}
