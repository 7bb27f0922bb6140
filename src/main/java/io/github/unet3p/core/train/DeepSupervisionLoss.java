package io.github.unet3p.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import java.util.Objects;

/**
 * The training loss of a model with several outputs: the sum, with weight 1 each, of one
 * segmentation loss of every segmentation output against the same mask, plus, when the model
 * has a classification-guided module (CGM), the binary cross-entropy of its output against
 * "this slice contains foreground".
 *
 * <p>Predictions, in order: the segmentation outputs (for {@code unet3plus_deepsup}: d1, d2, d3,
 * d4, e5, each B × C × H × W at full size), then, with a CGM, its B × 2 (or B × 1) sigmoid output
 * before the argmax. Labels: the mask, B × C × H × W; the CGM targets are derived from it
 * ({@link BinaryCrossEntropyLoss#presenceTargets}). So the total is
 * {@code Σ_i L(mask, out_i) + BCE(cgm, presence(mask))}, all weights 1: the seed weights its
 * deep-supervision outputs equally and cannot train the CGM; the paper trains it with BCE.
 */
public final class DeepSupervisionLoss extends Loss {

	private final SegmentationLoss perOutput;
	private final int segmentationOutputs;
	private final boolean cgm;
	private final BinaryCrossEntropyLoss bce = new BinaryCrossEntropyLoss();

	/**
	 * A loss over {@code segmentationOutputs} outputs, each scored by {@code perOutput}, plus a
	 * CGM output last if {@code cgm}.
	 *
	 * @throws IllegalArgumentException if {@code segmentationOutputs} is below 1
	 */
	public DeepSupervisionLoss(final SegmentationLoss perOutput, final int segmentationOutputs, final boolean cgm) {
		super("deep_supervision_" + perOutput.getName());
		if (segmentationOutputs < 1)
			throw new IllegalArgumentException("Deep supervision needs at least one segmentation output; got "
				+ segmentationOutputs + ".");
		this.perOutput = Objects.requireNonNull(perOutput);
		this.segmentationOutputs = segmentationOutputs;
		this.cgm = cgm;
	}

	/** The loss applied to every segmentation output. */
	public SegmentationLoss perOutput() {
		return perOutput;
	}

	/** How many segmentation outputs the predictions start with. */
	public int segmentationOutputs() {
		return segmentationOutputs;
	}

	/** Whether the last prediction is a CGM output. */
	public boolean hasCgm() {
		return cgm;
	}

	/**
	 * The scalar total loss, attached to the first output's manager.
	 *
	 * @param labels the mask first (further arrays are ignored)
	 * @param predictions the segmentation outputs, then the CGM output if {@link #hasCgm()}
	 * @throws IllegalArgumentException if the number of predictions is not the expected one or a
	 *         shape does not match
	 */
	@Override
	public NDArray evaluate(final NDList labels, final NDList predictions) {
		final int expected = segmentationOutputs + (cgm ? 1 : 0);
		if (predictions.size() != expected)
			throw new IllegalArgumentException("Deep supervision expects " + expected + " outputs (" + segmentationOutputs
				+ " segmentation" + (cgm ? " + CGM" : "") + "); got " + predictions.size() + ".");
		final NDArray mask = labels.head();
		final NDManager owner = predictions.head().getManager();
		try (NDManager scope = owner.newSubManager()) {
			NDArray total = null;
			for (int i = 0; i < segmentationOutputs; i++) {
				final NDArray term = perOutput.compute(mask, predictions.get(i));
				scope.attachAll(term);
				total = total == null ? term : total.add(term);
			}
			if (cgm) {
				final NDArray output = predictions.get(segmentationOutputs);
				if (output.getShape().dimension() != 2)
					throw new IllegalArgumentException("The CGM output must be B×2 or B×1; got " + output.getShape() + ".");
				final NDArray targets = BinaryCrossEntropyLoss.presenceTargets(mask, Math.toIntExact(output.getShape().get(1)));
				scope.attachAll(targets);
				final NDArray term = bce.compute(targets, output);
				scope.attachAll(term);
				total = total.add(term);
			}
			total.attach(owner);
			return total;
		}
	}
}
