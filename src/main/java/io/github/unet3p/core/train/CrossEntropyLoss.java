package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy on probabilities, as Keras computes it: categorical for C ≥ 2, binary for C = 1,
 * averaged over all pixels (B × H × W).
 *
 * <p>Categorical: {@code −Σ_c y_c·log(q_c)} with {@code q = clip(p / Σ_c p, ε, 1 − ε)}.
 * Binary: {@code −(y·log(q) + (1 − y)·log(1 − q))} with {@code q = clip(p, ε, 1 − ε)}.
 * ε = 1e-7 (Keras's fuzz factor) keeps {@code log(0)} out; the clip passes no gradient where it
 * is active. Not part of the seed's training; offered as {@code loss='cross_entropy'}.
 */
public final class CrossEntropyLoss extends SegmentationLoss {

	/** Clipping bound keeping probabilities away from 0 and 1. */
	public static final double EPSILON = 1e-7;

	/** Cross-entropy with ε = 1e-7. */
	public CrossEntropyLoss() {
		super("cross_entropy_loss");
	}

	@Override
	protected NDArray value(final NDArray truth, final NDArray prediction) {
		if (prediction.getShape().get(1) == 1) return binary(truth, prediction).mean();
		final NDArray normalised = prediction.div(prediction.sum(new int[] { 1 }, true));
		final NDArray q = normalised.clip(EPSILON, 1 - EPSILON);
		return truth.mul(q.log()).sum(new int[] { 1 }).neg().mean();
	}

	/** Element-wise binary cross-entropy of probabilities {@code p} against targets {@code y}. */
	static NDArray binary(final NDArray y, final NDArray p) {
		final NDArray q = p.clip(EPSILON, 1 - EPSILON);
		return y.mul(q.log()).add(Scalars.add(y.neg(), 1).mul(Scalars.add(q.neg(), 1).log())).neg();
	}
}
