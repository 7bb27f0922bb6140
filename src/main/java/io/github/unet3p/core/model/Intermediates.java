package io.github.unet3p.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.PairList;

/**
 * Frees a forward pass's intermediate arrays as soon as they are consumed, when nothing can need
 * them again: in inference mode with no gradient being recorded.
 *
 * <p>NB: DJL keeps every array a forward pass creates until the manager it belongs to closes, so
 * without this a UNet 3+ forward holds all of its activations at once (about 10 GB at 320 × 320,
 * width 64, batch 4). Freeing never happens in training mode or while PyTorch records gradients
 * on this thread (inside a {@code GradientCollector}, or on a thread where PyTorch's thread-local
 * grad mode is on, which is its default on every thread but the one that started the engine):
 * autograd may still need the arrays, and it would keep their memory anyway.
 * {@link UNet3PlusNet#infer} runs a pass with recording off. Freeing changes no value: the same
 * operations run in the same order.
 *
 * <p>NB: DJL's {@code NDArray.hasGradient()} cannot tell whether a graph is being recorded (it is
 * false for every computed array), so the test is PyTorch's grad mode itself.
 */
final class Intermediates {

	/**
	 * Forward parameter key (value {@link Boolean}): {@code true} keeps every intermediate array
	 * until its manager closes, as DJL does by default (for comparisons and debugging).
	 */
	static final String KEEP = "unet3p.keep_intermediates";

	private Intermediates() {}

	/**
	 * Whether a pass may free its intermediates as soon as they are consumed: not in training,
	 * not asked to {@link #KEEP} them, and PyTorch not recording gradients on this thread.
	 */
	static boolean freeable(final boolean training, final PairList<String, Object> params) {
		if (training) return false;
		if (params != null && Boolean.TRUE.equals(params.get(KEEP))) return false;
		return !JniUtils.isGradMode();
	}

	/**
	 * Returns {@code result}, closing {@code input} first when {@code free} and it is a different
	 * array (an operation that returned its input unchanged must not lose it).
	 */
	static NDArray consumed(final NDArray result, final NDArray input, final boolean free) {
		if (free && result != input) input.close();
		return result;
	}
}
