package io.github.unet3p.core.train;

import ai.djl.ndarray.NDArray;

/**
 * The UNet 3+ hybrid loss: focal + SSIM + IoU, each with the seed's definition
 * ({@link FocalLoss}, {@link SsimLoss}, {@link IouLoss}), added with weight 1 as the seed's
 * {@code unet3p_hybrid_loss} does; or, as an option, with the paper's MS-SSIM
 * ({@link MsSsimLoss}) in place of SSIM.
 *
 * <p>Precondition: images of at least 11 × 11 pixels (161 × 161 with MS-SSIM).
 */
public final class HybridLoss extends SegmentationLoss {

	private final FocalLoss focal = new FocalLoss();
	private final SegmentationLoss structural;
	private final IouLoss iou = new IouLoss();

	/** The seed's hybrid loss: focal + SSIM + IoU. */
	public HybridLoss() {
		this(false);
	}

	/**
	 * The hybrid loss with SSIM ({@code multiScale = false}, the seed) or MS-SSIM
	 * ({@code multiScale = true}, the paper).
	 */
	public HybridLoss(final boolean multiScale) {
		super(multiScale ? "hybrid_msssim_loss" : "hybrid_loss");
		structural = multiScale ? new MsSsimLoss() : new SsimLoss();
	}

	/** Whether the structural term is MS-SSIM rather than SSIM. */
	public boolean isMultiScale() {
		return structural instanceof MsSsimLoss;
	}

	@Override
	protected NDArray value(final NDArray truth, final NDArray prediction) {
		// Check the size first, so a too-small image fails before any work.
		final NDArray structuralTerm = structural.value(truth, prediction);
		return focal.value(truth, prediction).add(structuralTerm).add(iou.value(truth, prediction));
	}
}
