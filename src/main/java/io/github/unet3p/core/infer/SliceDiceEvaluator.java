package io.github.unet3p.core.infer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.unet3p.core.preprocess.PreparationRecord;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.train.SeedDice;
import io.github.unet3p.core.train.SliceDataset;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

/**
 * The seed's own evaluation: a model run on every prepared slice of a dataset folder
 * ({@code images/image_N_k.png} + {@code mask/mask_N_k.png}, as UNet3+ Preprocess writes it) in
 * batches, scored with the seed's post-processed Dice ({@link SeedDice}: per image, then the mean
 * over images). This is the number the seed reports (0.96032 on LiTS), computed the way training
 * computes its validation Dice: images fed as uint8 / 255 in channel order (R, G, B) =
 * (k−1, k, k+1), no flipping, no post-processing.
 *
 * <p>Empty-mask rule (the seed's): a slice with no foreground in the mask and none predicted
 * scores 1; a slice with an empty mask but predicted foreground scores about 0.
 */
public final class SliceDiceEvaluator {

	/** The name progress is reported under. */
	public static final String TASK = "Seed Dice";
	/** Header of the CSV written by {@link Result#writeCsv}. */
	public static final String CSV_HEADER = "image,seed_dice,truth_px,predicted_px,overlap_px";

	private SliceDiceEvaluator() {}

	/**
	 * Runs {@code model} on every slice of {@code data} and scores it.
	 *
	 * @param prep the preparation the model was trained with; when {@code data} holds a preparation
	 *            record ({@value PreparationRecord#FILE}) its HU window and size must match
	 * @param batch slices per model call, 1 to {@link InferenceSettings#MAX_BATCH}
	 * @param progress receives slices done / total after every batch, under {@link #TASK}
	 * @param cancellation checked before every batch
	 * @throws InvalidInputException when {@code data} is not a prepared dataset, its slices are not
	 *             the model's size, its record names another preparation, or a mask has labels the
	 *             model cannot output
	 */
	public static Result evaluate(final Path data, final ProbabilityModel model, final PreprocessSettings prep, final int batch,
			final ProgressListener progress, final Cancellation cancellation) {
		if (batch < 1 || batch > InferenceSettings.MAX_BATCH)
			throw new InvalidInputException(InferenceKeys.BATCH + " must be between 1 and " + InferenceSettings.MAX_BATCH + " slices, not " + batch);
		checkRecord(data, prep);
		final int classes = model.classes(), size = model.size(), area = size * size;
		final SliceDataset set = SliceDataset.open(data, classes, false);
		if (set.width() != size || set.height() != size)
			throw new InvalidInputException("The slices in " + data + " are " + set.width() + "×" + set.height() + " pixels but the model takes " + size + "×"
					+ size + "; prepare the data with size=" + size + ".");
		final int total = set.size();
		final List<Score> scores = new ArrayList<>(total);
		final SeedDice.Mean mean = new SeedDice.Mean();
		final float[] full = new float[Math.min(batch, total) * ProbabilityModel.CHANNELS * area];
		for (int start = 0; start < total; start += batch) {
			cancellation.check(TASK);
			final int n = Math.min(batch, total - start);
			final float[] input = n * ProbabilityModel.CHANNELS * area == full.length ? full : new float[n * ProbabilityModel.CHANNELS * area];
			final int[][] truth = new int[n][];
			for (int b = 0; b < n; b++) {
				final SliceDataset.Sample s = set.load(start + b);
				final byte[] rgb = s.rgb();
				for (int c = 0; c < ProbabilityModel.CHANNELS; c++) {
					final int offset = (b * ProbabilityModel.CHANNELS + c) * area;
					// NB: the trainer's conversion (float division), so this Dice is the validation Dice.
					for (int p = 0; p < area; p++)
						input[offset + p] = (rgb[p * 3 + c] & 0xff) / 255f;
				}
				truth[b] = unsigned(s.labels());
			}
			final float[] out = model.predict(input, n);
			if (out == null || out.length != (long) n * classes * area)
				throw new IllegalStateException("the model returned " + (out == null ? "nothing" : out.length + " values") + " for " + n + " slices; expected "
						+ (long) n * classes * area);
			for (int b = 0; b < n; b++) {
				final float[] one = new float[classes * area];
				System.arraycopy(out, b * classes * area, one, 0, one.length);
				final SeedDice.Counts counts = SeedDice.counts(truth[b], SeedDice.labels(one, classes));
				mean.add(counts);
				scores.add(new Score(set.id(start + b), counts));
			}
			progress.progress(TASK, start + n, total);
		}
		return new Result(scores, mean.value());
	}

	private static int[] unsigned(final byte[] labels) {
		final int[] out = new int[labels.length];
		for (int i = 0; i < labels.length; i++)
			out[i] = labels[i] & 0xff;
		return out;
	}

	/** Refuses data whose preparation record names another HU window or size than the model's. */
	private static void checkRecord(final Path data, final PreprocessSettings prep) {
		final Path file = data.resolve(PreparationRecord.FILE);
		if (!Files.isRegularFile(file)) return;
		final double huMin, huMax;
		final int size;
		try {
			final JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
			huMin = o.get("hu_min").getAsDouble();
			huMax = o.get("hu_max").getAsDouble();
			size = o.get("size").getAsInt();
		}
		catch (final IOException | JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
			throw new InvalidInputException(file + " is not a readable preparation record (" + e.getMessage() + ").");
		}
		if (huMin != prep.huMin() || huMax != prep.huMax() || size != prep.size())
			throw new InvalidInputException(String.format(Locale.ROOT,
					"The slices in %s were prepared with HU %s..%s at size %d (%s) but the model was trained on HU %s..%s at size %d; "
							+ "prepare the data again with the model's settings.",
					data, num(huMin), num(huMax), size, PreparationRecord.FILE, num(prep.huMin()), num(prep.huMax()), prep.size()));
	}

	private static String num(final double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}

	/** The seed Dice of one prepared slice. */
	public record Score(String image, SeedDice.Counts counts) {

		/** The seed's Dice of this slice. */
		public double dice() {
			return counts.dice();
		}
	}

	/** Per-slice scores in dataset order (case, then slice) and their mean. */
	public static final class Result {

		private final List<Score> scores;
		private final double mean;

		Result(final List<Score> scores, final double mean) {
			this.scores = Collections.unmodifiableList(new ArrayList<>(scores));
			this.mean = mean;
		}

		/** Every slice's score, in dataset order. */
		public List<Score> scores() {
			return scores;
		}

		/** The seed's number: the mean over slices of the per-slice Dice. */
		public double meanDice() {
			return mean;
		}

		/** Number of slices scored. */
		public int images() {
			return scores.size();
		}

		/**
		 * Writes {@value #CSV_HEADER}, one row per slice ({@code image} = its id {@code N_k}), then a
		 * row {@code mean} with the mean Dice and the pooled pixel counts; atomically.
		 */
		public void writeCsv(final Path file) throws IOException {
			final StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
			long t = 0, p = 0, o = 0;
			for (final Score s : scores) {
				final SeedDice.Counts c = s.counts();
				sb.append(String.format(Locale.ROOT, "%s,%.6f,%d,%d,%d\n", s.image(), c.dice(), c.truth(), c.predicted(), c.overlap()));
				t += c.truth();
				p += c.predicted();
				o += c.overlap();
			}
			sb.append(String.format(Locale.ROOT, "mean,%.6f,%d,%d,%d\n", mean, t, p, o));
			AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "seed Dice %.5f over %d slices", mean, scores.size());
		}
	}
}
