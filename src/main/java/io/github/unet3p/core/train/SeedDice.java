package io.github.unet3p.core.train;

import java.util.function.IntUnaryOperator;

import io.github.unet3p.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The seed's post-processed Dice ({@code dice_coef}): per image, both maps are turned into label
 * maps (the argmax over classes, or {@code > 0.5} for a single channel), then
 * {@code (2·Σ t·p + 1e-9)/(Σt + Σp + 1e-9)} over the pixels; a dataset's value is the mean over
 * images.
 *
 * <p>Empty-mask rule (the seed's, kept on purpose): an image with no foreground in either map
 * scores 1 (1e-9/1e-9); an image with an empty mask but predicted foreground scores about 0.
 *
 * <p>For one or two classes the label values are 0/1, so the sums are the foreground pixel
 * counts and their overlap. NB: for C &gt; 2 the seed multiplies class indices (it is not a
 * per-class Dice); this class reproduces that too.
 *
 * <p>Works on DJL batches ({@link #counts(NDArray, NDArray)}) and, without DJL, on label maps
 * held in Java arrays ({@link #counts(int[], int[])}, {@link #labels(float[], int)}), so
 * inference and evaluation code can report the same number.
 *
 * <p>NB: Keras reports the mean over validation batches of each batch's mean over images; that
 * equals the mean over images when every batch is full.
 */
public final class SeedDice {

	/** The seed's smoothing in numerator and denominator. */
	public static final double SMOOTH = 1e-9;

	private SeedDice() {}

	/**
	 * The sums of one image: {@code truth = Σt}, {@code predicted = Σp}, {@code overlap = Σ t·p}
	 * over its pixels (for 0/1 label maps: foreground counts and their intersection).
	 */
	public record Counts(long truth, long predicted, long overlap) {

		/** The seed's Dice of this image: {@code (2·overlap + 1e-9)/(truth + predicted + 1e-9)}. */
		public double dice() {
			return (2.0 * overlap + SMOOTH) / ((double) truth + (double) predicted + SMOOTH);
		}
	}

	/** The running mean over images of the seed's Dice, for aggregating over a dataset. */
	public static final class Mean {

		private double sum;
		private long images;

		/** Adds one image. */
		public Mean add(final Counts image) {
			sum += image.dice();
			images++;
			return this;
		}

		/** Adds every image of {@code batch}. */
		public Mean addAll(final Collection<Counts> batch) {
			for (final Counts c : batch)
				add(c);
			return this;
		}

		/** How many images were added. */
		public long images() {
			return images;
		}

		/**
		 * The mean Dice over the images added.
		 *
		 * @throws IllegalStateException if no image was added
		 */
		public double value() {
			if (images == 0) throw new IllegalStateException("The mean Dice of no image is undefined.");
			return sum / images;
		}
	}

	/**
	 * The sums of one image given as label maps of the same length (class index per pixel).
	 *
	 * @throws IllegalArgumentException if the lengths differ
	 */
	public static Counts counts(final int[] truthLabels, final int[] predictedLabels) {
		checkLengths(truthLabels.length, predictedLabels.length);
		return counts(truthLabels.length, i -> truthLabels[i], i -> predictedLabels[i]);
	}

	/**
	 * The sums of one image given as unsigned byte label maps (0…255) of the same length, such
	 * as the seed's 0/1 mask PNGs.
	 *
	 * @throws IllegalArgumentException if the lengths differ
	 */
	public static Counts counts(final byte[] truthLabels, final byte[] predictedLabels) {
		checkLengths(truthLabels.length, predictedLabels.length);
		return counts(truthLabels.length, i -> truthLabels[i] & 0xFF, i -> predictedLabels[i] & 0xFF);
	}

	/** Σt, Σp and Σt·p over {@code length} pixels whose labels {@code truth} and {@code predicted} give. */
	private static Counts counts(final int length, final IntUnaryOperator truth, final IntUnaryOperator predicted) {
		long t = 0;
		long p = 0;
		long o = 0;
		for (int i = 0; i < length; i++) {
			final int a = truth.applyAsInt(i);
			final int b = predicted.applyAsInt(i);
			t += a;
			p += b;
			o += (long) a * b;
		}
		return new Counts(t, p, o);
	}

	/**
	 * The seed's label map of one image's probabilities, stored plane by plane
	 * ({@code probabilities[c·pixels + i]}): the first class of largest probability for C ≥ 2,
	 * {@code p > 0.5} for C = 1.
	 *
	 * @throws IllegalArgumentException if {@code channels < 1} or the length is not a multiple of
	 *         it
	 */
	public static int[] labels(final float[] probabilities, final int channels) {
		if (channels < 1 || probabilities.length % channels != 0)
			throw new IllegalArgumentException("Expected " + channels + " planes of probabilities; got " + probabilities.length
				+ " values.");
		final int pixels = probabilities.length / channels;
		final int[] labels = new int[pixels];
		for (int i = 0; i < pixels; i++) {
			if (channels == 1) {
				labels[i] = probabilities[i] > 0.5f ? 1 : 0;
				continue;
			}
			int best = 0;
			for (int c = 1; c < channels; c++)
				if (probabilities[c * pixels + i] > probabilities[best * pixels + i]) best = c;
			labels[i] = best;
		}
		return labels;
	}

	/**
	 * The sums of every image of a batch: {@code truth} (one-hot, or 0/1 for one channel) and
	 * {@code prediction} (probabilities), both B × C × H × W.
	 *
	 * <p>NB: with one channel the seed uses the mask as it is and thresholds only the prediction;
	 * this method thresholds both at 0.5, which is the same for 0/1 masks and keeps the sums
	 * integral.
	 *
	 * @return B counts, in batch order
	 * @throws IllegalArgumentException if the shapes differ or are not of rank 4
	 */
	public static List<Counts> counts(final NDArray truth, final NDArray prediction) {
		final Shape shape = prediction.getShape();
		if (shape.dimension() != 4 || !shape.equals(truth.getShape()))
			throw new IllegalArgumentException("Seed Dice needs a mask and a prediction of one shape B×C×H×W; got mask "
				+ truth.getShape() + " and prediction " + shape + ".");
		final int batch = Math.toIntExact(shape.get(0));
		final long[] t;
		final long[] p;
		final long[] o;
		try (NDManager scope = prediction.getManager().newSubManager()) {
			SegmentationLoss.attach(scope, truth, prediction);
			final NDArray a = labelMap(truth);
			final NDArray b = labelMap(prediction);
			final int[] space = { 1, 2 };
			t = a.sum(space).toLongArray();
			p = b.sum(space).toLongArray();
			o = a.mul(b).sum(space).toLongArray();
		}
		final List<Counts> counts = new ArrayList<>(batch);
		for (int i = 0; i < batch; i++)
			counts.add(new Counts(t[i], p[i], o[i]));
		return counts;
	}

	/** The mean over the images of a batch of the seed's Dice (see {@link #counts(NDArray, NDArray)}). */
	public static double batchMean(final NDArray truth, final NDArray prediction) {
		return new Mean().addAll(counts(truth, prediction)).value();
	}

	/**
	 * The mean over images of the seed's Dice.
	 *
	 * @throws IllegalArgumentException if {@code images} is empty
	 */
	public static double mean(final Collection<Counts> images) {
		if (images.isEmpty()) throw new IllegalArgumentException("The mean Dice of no image is undefined.");
		return new Mean().addAll(images).value();
	}

	/** B × H × W int64 label map: argmax over C, or {@code > 0.5} for one channel. */
	private static NDArray labelMap(final NDArray x) {
		final long channels = x.getShape().get(1);
		final NDArray labels = channels == 1 ? Scalars.gt(x.toType(DataType.FLOAT32, false), 0.5).squeeze(1) : x.argMax(1);
		return labels.toType(DataType.INT64, false);
	}

	private static void checkLengths(final int truth, final int predicted) {
		if (truth != predicted)
			throw new IllegalArgumentException("Seed Dice needs label maps of one size; got " + truth + " and " + predicted
				+ " pixels.");
	}
}
