package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * The multi-scale SSIM loss of the UNet 3+ paper: the mean over the batch of
 * {@code 1 − MS-SSIM}, plus 1e-9 as in the seed's SSIM loss, where MS-SSIM is TensorFlow's
 * {@code tf.image.ssim_multiscale(mask, prediction, max_val = 1)} with its default power factors
 * (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), finest scale first.
 *
 * <p>Per image and channel: at each scale the contrast-structure term (the full SSIM at the
 * coarsest scale), clamped at 0, raised to that scale's power; the product over scales is then
 * averaged over channels. Between scales both images are 2 × 2 average-pooled, an odd side first
 * extended by repeating its last row or column (TensorFlow's symmetric padding).
 *
 * <p>Precondition: every scale must still hold the 11 × 11 window, so with five scales height
 * and width must be at least 161 ({@link #minimumSide()}); TensorFlow does not shrink the window,
 * and neither does this class: smaller images are refused with an
 * {@link io.github.unet3p.core.util.InvalidInputException}.
 *
 * <p>NB: a scale whose term is 0 or negative makes MS-SSIM 0 and passes no gradient through that
 * scale (the clamp's gradient there is 0), as in TensorFlow.
 */
public final class MsSsimLoss extends SegmentationLoss {

	/** The constant added to the loss, as in {@link SsimLoss}. */
	public static final double SMOOTH = SsimLoss.SMOOTH;

	/** The MS-SSIM loss with TensorFlow's five default scales. */
	public MsSsimLoss() {
		super("ms_ssim_loss");
	}

	/** The smallest height and width this loss accepts (161 for five scales). */
	public static long minimumSide() {
		return Ssim.minimumSide(Ssim.MS_SSIM_POWER_FACTORS.length);
	}

	@Override
	protected NDArray value(final NDArray truth, final NDArray prediction) {
		Ssim.checkSize(prediction.getShape(), Ssim.MS_SSIM_POWER_FACTORS.length, "The MS-SSIM loss");
		return Scalars.add(Scalars.add(Ssim.msSsim(truth, prediction, Ssim.MS_SSIM_POWER_FACTORS).neg(), 1), SMOOTH).mean();
	}
}
