package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.unet3p.core.preprocess.PreparationRecord;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.testsupport.TinySlices;

/**
 * The seed Dice of a model over prepared slices, on hand-made 16×16 slices and a model whose
 * foreground is "G &gt; 127": exact per-slice values, the empty-mask rule, batch independence.
 */
class SliceDiceEvaluatorTest {

	private static final int S = 16;
	private static final PreprocessSettings PREP = PreprocessSettings.builder().optSize(S).build();

	@TempDir
	Path tmp;

	/** Writes image_1_k / mask_1_k with G = 255 on {@code bright} pixels and mask 1 on {@code liver} pixels. */
	private static void slice(final Path data, final int k, final java.util.function.IntPredicate bright, final java.util.function.IntPredicate liver)
			throws IOException {
		final byte[] rgb = new byte[S * S * 3], mask = new byte[S * S];
		for (int p = 0; p < S * S; p++) {
			rgb[p * 3 + 1] = (byte) (bright.test(p) ? 255 : 0);
			rgb[p * 3] = (byte) 200; // R and B (neighbour slices) must not matter to this model
			mask[p] = (byte) (liver.test(p) ? 1 : 0);
		}
		TinySlices.writePair(data, "1_" + k, SliceImage.rgb(S, S, rgb), SliceImage.gray(S, S, mask));
	}

	private Path dataset() throws IOException {
		final Path data = tmp.resolve("data");
		Files.createDirectories(data.resolve("images"));
		Files.createDirectories(data.resolve("mask"));
		slice(data, 0, p -> p % S < S / 2, p -> p % S < S / 2); // perfect: 1
		slice(data, 1, p -> false, p -> false); // both empty: 1 (seed rule)
		slice(data, 2, p -> p / S < 4 && p % S < 4, p -> p / S < 8 && p % S < 4); // 16 of 32: 2·16/48
		slice(data, 10, p -> p / S < 2, p -> false); // empty mask, 32 predicted: ~0
		return data;
	}

	@ParameterizedTest(name = "batch {0}")
	@ValueSource(ints = { 1, 3, 4, 64 })
	void scoresEverySliceLikeTheSeed(final int batch) throws IOException {
		final SliceDiceEvaluator.Result r = SliceDiceEvaluator.evaluate(dataset(), FakeModels.brightIsForeground(S), PREP, batch, ProgressListener.NONE,
				Cancellation.none());
		assertEquals(List.of("1_0", "1_1", "1_2", "1_10"), r.scores().stream().map(SliceDiceEvaluator.Score::image).toList(), "case then slice number");
		final double[] expected = { 1, 1, (32 + 1e-9) / (48 + 1e-9), 1e-9 / (32 + 1e-9) };
		for (int i = 0; i < expected.length; i++)
			assertEquals(expected[i], r.scores().get(i).dice(), 1e-12, r.scores().get(i).image());
		assertEquals((1 + 1 + expected[2] + expected[3]) / 4, r.meanDice(), 1e-12);
		assertEquals(4, r.images());
	}

	@ParameterizedTest(name = "batch {0}")
	@ValueSource(ints = { 2 })
	void writesOneRowPerSliceThenTheMean(final int batch) throws IOException {
		final SliceDiceEvaluator.Result r = SliceDiceEvaluator.evaluate(dataset(), FakeModels.brightIsForeground(S), PREP, batch, ProgressListener.NONE,
				Cancellation.none());
		final Path csv = tmp.resolve("out").resolve("seed.csv");
		r.writeCsv(csv);
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(SliceDiceEvaluator.CSV_HEADER, lines.get(0));
		assertEquals("1_2,0.666667,32,16,16", lines.get(3));
		assertEquals("mean,0.666667,160,176,144", lines.get(5), "mean of (1, 1, 2/3, 0) and the pooled pixel counts");
	}

	@ParameterizedTest(name = "record size {0}")
	@ValueSource(ints = { 16, 32 })
	void aDatasetPreparedDifferentlyIsRefused(final int recordSize) throws IOException {
		final Path data = dataset();
		PreparationRecord.write(data, PreprocessSettings.builder().optHuMin(-100).optSize(recordSize).build());
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> SliceDiceEvaluator.evaluate(data, FakeModels.brightIsForeground(S), PREP, 2, ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().contains(PreparationRecord.FILE) && e.getMessage().contains("-100"), e.getMessage());
	}

	@ParameterizedTest(name = "model size {0}")
	@ValueSource(ints = { 32 })
	void slicesOfAnotherSizeAreRefused(final int modelSize) throws IOException {
		final Path data = dataset();
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> SliceDiceEvaluator.evaluate(data,
				FakeModels.brightIsForeground(modelSize), PreprocessSettings.builder().optSize(modelSize).build(), 2, ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().contains("16×16") && e.getMessage().contains("size=32"), e.getMessage());
	}
}
