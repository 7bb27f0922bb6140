package io.github.unet3p.core.train;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Decodes and assembles the batches of one epoch on background threads, a few batches ahead of
 * the model, so that training never waits on PNG decoding. The content of every batch is a pure
 * function of (dataset, order, batch index, seed, epoch), whatever the threads' timing; that is
 * what lets a resumed run repeat an uninterrupted one.
 */
public final class BatchLoader implements AutoCloseable, BatchNormRecalibration.Source {

	private final SliceDataset data;
	private final int[] order;
	private final int batchSize;
	private final int classes;
	private final Augmentation augmentation;
	private final long seed;
	private final int epoch;
	private final int prefetch;
	private final ExecutorService workers;
	private final ArrayDeque<Future<TrainingBatch>> ahead = new ArrayDeque<>();
	private int submitted;
	private int delivered;
	private long waitNanos;

	/**
	 * Starts loading.
	 *
	 * @param order dataset indices in the epoch's order
	 * @param classes target channels (1 = one 0/1 channel for a sigmoid model)
	 * @param workers decoding threads (at least 1)
	 * @param prefetch batches kept ready ahead of the model (at least 1)
	 */
	public BatchLoader(final SliceDataset data, final int[] order, final int batchSize, final int classes, final Augmentation augmentation,
			final long seed, final int epoch, final int workers, final int prefetch) {
		if (batchSize < 1) throw new InvalidInputException("batch must be at least 1, not " + batchSize);
		this.data = data;
		this.order = order.clone();
		this.batchSize = batchSize;
		this.classes = classes;
		this.augmentation = augmentation;
		this.seed = seed;
		this.epoch = epoch;
		this.prefetch = Math.max(1, prefetch);
		this.workers = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
			final Thread t = new Thread(r, "unet3p-loader");
			t.setDaemon(true);
			return t;
		});
		fill();
	}

	/** Number of batches in the epoch. */
	public int batches() {
		return (order.length + batchSize - 1) / batchSize;
	}

	/** Whether another batch remains. */
	@Override
	public boolean hasNext() {
		return delivered < batches();
	}

	/** The next batch, waiting for it if the workers are behind. */
	@Override
	public TrainingBatch next() throws InterruptedException {
		if (!hasNext()) throw new IllegalStateException("epoch has no more batches");
		final Future<TrainingBatch> future = ahead.removeFirst();
		final long start = System.nanoTime();
		try {
			final TrainingBatch batch = future.get();
			waitNanos += System.nanoTime() - start;
			delivered++;
			fill();
			return batch;
		}
		catch (final ExecutionException e) {
			final Throwable cause = e.getCause();
			if (cause instanceof RuntimeException) throw (RuntimeException) cause;
			throw new IllegalStateException("loading a batch failed", cause);
		}
	}

	/** Total time the caller spent waiting in {@link #next()}, in nanoseconds. */
	public long waitNanos() {
		return waitNanos;
	}

	private void fill() {
		while (submitted < batches() && ahead.size() < prefetch) {
			final int b = submitted++;
			ahead.addLast(workers.submit(() -> assemble(b)));
		}
	}

	private TrainingBatch assemble(final int b) {
		final int from = b * batchSize, n = Math.min(batchSize, order.length - from);
		final int w = data.width(), h = data.height(), plane = w * h, channels = Math.max(1, classes);
		final float[] images = new float[n * 3 * plane];
		final float[] targets = new float[n * channels * plane];
		final float[] foreground = new float[n];
		final float[] image = new float[3 * plane];
		final String[] ids = new String[n];
		for (int s = 0; s < n; s++) {
			final int index = order[from + s];
			ids[s] = data.id(index);
			final SliceDataset.Sample sample = data.load(index);
			final byte[] rgb = sample.rgb();
			for (int p = 0; p < plane; p++)
				for (int c = 0; c < 3; c++)
					image[c * plane + p] = (rgb[p * 3 + c] & 0xff) / 255f;
			final byte[] labels = sample.labels().clone();
			augmentation.apply(image, 3, labels, w, h, sampleRandom(index));
			System.arraycopy(image, 0, images, s * 3 * plane, 3 * plane);
			final int base = s * channels * plane;
			for (int p = 0; p < plane; p++) {
				final int label = labels[p] & 0xff;
				if (label != 0) foreground[s] = 1;
				if (classes == 1) targets[base + p] = label != 0 ? 1 : 0;
				else targets[base + label * plane + p] = 1;
			}
		}
		return new TrainingBatch(n, h, w, channels, images, targets, foreground, java.util.List.of(ids));
	}

	/** A stream for one sample of one epoch, independent of batch layout and thread timing. */
	private SplittableRandom sampleRandom(final int index) {
		return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index);
	}

	@Override
	public void close() {
		for (final Future<TrainingBatch> f : ahead)
			f.cancel(true);
		workers.shutdownNow();
	}
}
