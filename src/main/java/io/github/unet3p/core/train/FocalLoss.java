package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * The seed's focal loss: the mean over all pixels (B × H × W) of the largest, over classes, of
 * {@code α·y·(1 − (p + ε))^γ · y·(−log(p + ε))}.
 *
 * <p>With the seed's constants α = 4, γ = 2, ε = 1e-9. The mask enters twice (in the weight and
 * in the cross-entropy), which changes nothing for 0/1 masks. With one-hot masks only the true
 * class is non-zero, so the maximum over classes picks it; with a single sigmoid channel,
 * background pixels (y = 0) contribute 0.
 */
public final class FocalLoss extends SegmentationLoss {

	/** The seed's α. */
	public static final double ALPHA = 4;
	/** The seed's γ. */
	public static final double GAMMA = 2;
	/** The seed's ε, added to the probability before the log and the weight. */
	public static final double EPSILON = 1e-9;

	private final double alpha;
	private final double gamma;
	private final double epsilon;

	/** The seed's focal loss (α = 4, γ = 2, ε = 1e-9). */
	public FocalLoss() {
		this(ALPHA, GAMMA, EPSILON);
	}

	/**
	 * A focal loss with other constants.
	 *
	 * @throws IllegalArgumentException if a constant is not finite, α or ε is not positive, or γ
	 *         is negative
	 */
	public FocalLoss(final double alpha, final double gamma, final double epsilon) {
		super("focal_loss");
		if (!(alpha > 0) || !(gamma >= 0) || !(epsilon > 0) || Double.isInfinite(alpha) || Double.isInfinite(gamma)
			|| Double.isInfinite(epsilon))
			throw new IllegalArgumentException("Focal loss needs finite alpha > 0, gamma >= 0, epsilon > 0; got " + alpha + ", "
				+ gamma + ", " + epsilon + ".");
		this.alpha = alpha;
		this.gamma = gamma;
		this.epsilon = epsilon;
	}

	@Override
	protected NDArray value(final NDArray truth, final NDArray prediction) {
		final NDArray shifted = Scalars.add(prediction, epsilon);
		final NDArray crossEntropy = truth.mul(shifted.log().neg());
		final NDArray weight = truth.mul(Scalars.pow(Scalars.add(shifted.neg(), 1), gamma));
		final NDArray focal = Scalars.mul(weight.mul(crossEntropy), alpha);
		return focal.max(new int[] { 1 }).mean();
	}
}
