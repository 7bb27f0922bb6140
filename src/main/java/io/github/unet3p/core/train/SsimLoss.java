package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * The seed's SSIM loss: the mean over the batch of {@code 1 − SSIM}, plus the seed's 1e-9,
 * where SSIM is TensorFlow's {@code tf.image.ssim(mask, prediction, max_val = 1)}.
 *
 * <p>Per image, SSIM is computed per channel with an 11 × 11 Gaussian window (σ = 1.5,
 * normalised), k1 = 0.01, k2 = 0.03, without padding; the SSIM map is averaged over height and
 * width, then over channels. A perfect prediction gives 1e-9 (the seed adds it to every image's
 * loss).
 *
 * <p>Precondition: height and width are at least 11; smaller images are refused with an
 * {@link io.github.unet3p.core.util.InvalidInputException}, as TensorFlow refuses them.
 */
public final class SsimLoss extends SegmentationLoss {

	/** The seed's constant added to the loss. */
	public static final double SMOOTH = 1e-9;

	/** The seed's SSIM loss. */
	public SsimLoss() {
		super("ssim_loss");
	}

	/** The smallest height and width this loss accepts. */
	public static long minimumSide() {
		return Ssim.minimumSide(1);
	}

	@Override
	protected NDArray value(final NDArray truth, final NDArray prediction) {
		Ssim.checkSize(prediction.getShape(), 1, "The SSIM loss");
		return Scalars.add(Scalars.add(Ssim.ssim(truth, prediction).neg(), 1), SMOOTH).mean();
	}
}
