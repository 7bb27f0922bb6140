package io.github.unet3p.core.infer;

import java.nio.file.Path;

import io.github.unet3p.core.model.ModelBundle;

/**
 * What every {@link BundleModel} shares whatever its runtime: the bundle it was opened from, the
 * check of a batch's length before the runtime sees it, one batch at a time, and closing once.
 * A runtime supplies {@link #run} and {@link #release}.
 */
abstract class OpenedBundleModel implements BundleModel {

	private final Path folder;
	private final ModelBundle bundle;
	private boolean closed;

	OpenedBundleModel(final Path folder, final ModelBundle bundle) {
		this.folder = folder;
		this.bundle = bundle;
	}

	@Override
	public final Path folder() {
		return folder;
	}

	@Override
	public final ModelBundle bundle() {
		return bundle;
	}

	/**
	 * {@inheritDoc}
	 *
	 * @throws IllegalArgumentException if {@code batch < 1} or the input length is not
	 *             {@code batch · 3 · size · size}
	 * @throws IllegalStateException after {@link #close()}, or when the runtime fails
	 */
	@Override
	public final synchronized float[] predict(final float[] batchNCHW, final int batch) {
		if (closed) throw new IllegalStateException("the model " + folder + " is closed");
		final int size = size();
		final long expected = (long) batch * CHANNELS * size * size;
		if (batch < 1 || batchNCHW.length != expected)
			throw new IllegalArgumentException("expected " + batch + "×" + CHANNELS + "×" + size + "×" + size + " = " + expected + " input values, got "
					+ batchNCHW.length);
		return run(batchNCHW, batch, size);
	}

	/** The class probabilities, N × classes × size × size, of a batch whose length is checked. */
	abstract float[] run(float[] batchNCHW, int batch, int size);

	/** Frees the runtime's memory; idempotent. */
	@Override
	public final synchronized void close() {
		if (closed) return;
		closed = true;
		release();
	}

	/** Frees the runtime's memory; called once. */
	abstract void release();
}
