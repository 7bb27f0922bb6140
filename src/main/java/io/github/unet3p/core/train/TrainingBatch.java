package io.github.unet3p.core.train;

/**
 * One batch of prepared slices as flat arrays, ready to become tensors: images NCHW (values
 * 0…1), targets NCHW (one-hot over {@code classes}, or one 0/1 channel when {@code classes} is
 * 1), and per-slice "has foreground" flags for the classification-guided module.
 */
public final class TrainingBatch {

	private final int size;
	private final int height;
	private final int width;
	private final int classes;
	private final float[] images;
	private final float[] targets;
	private final float[] foreground;
	private final java.util.List<String> sliceIds;

	/**
	 * A batch of {@code size} slices of {@code height × width}: images (size·3·h·w values), targets
	 * (size·classes·h·w) and foreground flags (size), in NCHW order; slices are named
	 * {@code slice0, slice1, ...}.
	 *
	 * @throws IllegalArgumentException when an array's length does not fit the shape
	 */
	public static TrainingBatch of(final int size, final int height, final int width, final int classes, final float[] images, final float[] targets,
			final float[] foreground) {
		final long plane = (long) height * width;
		if (images.length != size * 3 * plane || targets.length != size * classes * plane || foreground.length != size)
			throw new IllegalArgumentException("arrays do not fit a batch of " + size + " slices of " + height + "×" + width + " with " + classes + " classes");
		final java.util.List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < size; i++)
			ids.add("slice" + i);
		return new TrainingBatch(size, height, width, classes, images, targets, foreground, ids);
	}

	TrainingBatch(final int size, final int height, final int width, final int classes, final float[] images, final float[] targets,
			final float[] foreground, final java.util.List<String> sliceIds) {
		this.size = size;
		this.height = height;
		this.width = width;
		this.classes = classes;
		this.images = images;
		this.targets = targets;
		this.foreground = foreground;
		this.sliceIds = java.util.List.copyOf(sliceIds);
	}

	/** The ids "N_k" of the batch's slices, in batch order ({@code images/image_N_k.png}, {@code mask/mask_N_k.png}). */
	public java.util.List<String> sliceIds() {
		return sliceIds;
	}

	/** Number of slices in this batch (the last batch of an epoch may be smaller). */
	public int size() {
		return size;
	}

	/** Slice height. */
	public int height() {
		return height;
	}

	/** Slice width. */
	public int width() {
		return width;
	}

	/** Target channels: the class count (1 for a sigmoid model). */
	public int classes() {
		return classes;
	}

	/** Images, {@code size × 3 × height × width}; do not modify. */
	public float[] images() {
		return images;
	}

	/** Targets, {@code size × classes × height × width}; do not modify. */
	public float[] targets() {
		return targets;
	}

	/** 1 where the slice has any foreground pixel, else 0; {@code size} values. */
	public float[] foreground() {
		return foreground;
	}
}
