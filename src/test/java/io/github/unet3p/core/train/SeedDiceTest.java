package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.unet3p.core.model.TorchEngine;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedDiceTest {

	private static int[] labels(final String digits) {
		return digits.chars().map(c -> c - '0').toArray();
	}

	@ParameterizedTest(name = "{0}: truth {1}, prediction {2}")
	@CsvSource({
		"both empty,            0000, 0000, 0, 0, 0, 1",
		"perfect,               0110, 0110, 2, 2, 2, 1",
		"empty truth,           0000, 0110, 0, 2, 0, 0.0000000005",
		"empty prediction,      1100, 0000, 2, 0, 0, 0.0000000005",
		"half overlap,          1111, 1100, 4, 2, 2, 0.6666666666666666",
		"disjoint,              1100, 0011, 2, 2, 0, 0.00000000025" })
	void tableOfLabelMaps(final String name, final String truth, final String prediction, final long t, final long p,
		final long o, final double dice) {
		final SeedDice.Counts counts = SeedDice.counts(labels(truth), labels(prediction));
		assertEquals(new SeedDice.Counts(t, p, o), counts);
		assertEquals(dice, counts.dice(), 1e-9 * dice, "relative: the 1e-9 smoothing decides the empty cases");
		final byte[] tb = new byte[truth.length()];
		final byte[] pb = new byte[truth.length()];
		for (int i = 0; i < tb.length; i++) {
			tb[i] = (byte) (truth.charAt(i) - '0');
			pb[i] = (byte) (prediction.charAt(i) - '0');
		}
		assertEquals(counts, SeedDice.counts(tb, pb));
	}

	@Test
	void datasetValueIsTheMeanOverImages() {
		final List<SeedDice.Counts> images = List.of(new SeedDice.Counts(0, 0, 0), new SeedDice.Counts(4, 2, 2));
		assertEquals((1 + 2.0 / 3) / 2, SeedDice.mean(images), 1e-9);
		final SeedDice.Mean running = new SeedDice.Mean().addAll(images);
		assertEquals(2, running.images());
		assertEquals(SeedDice.mean(images), running.value(), 0);
		assertThrows(IllegalStateException.class, () -> new SeedDice.Mean().value());
		assertThrows(IllegalArgumentException.class, () -> SeedDice.counts(new int[3], new int[4]));
	}

	@Test
	void labelsFromProbabilityPlanes() {
		// Two classes, 3 pixels, planar: class 0 then class 1; a tie goes to the first class.
		assertArrayEquals(new int[] { 0, 1, 0 }, SeedDice.labels(new float[] { 0.9f, 0.2f, 0.5f, 0.1f, 0.8f, 0.5f }, 2));
		assertArrayEquals(new int[] { 1, 0, 0 }, SeedDice.labels(new float[] { 0.6f, 0.5f, 0.1f }, 1));
	}

	@Test
	void batchOfProbabilitiesAgreesWithTheLabelMapVersion() {
		final Random random = new Random(12);
		final int h = 6;
		final int w = 5;
		final double[][][][] y = Tensors.randomOneHot(random, 3, h, w);
		final double[][][][] p = Tensors.randomTwoClass(random, 3, h, w);
		// Image 2: empty truth and empty prediction → 1.
		for (int r = 0; r < h; r++)
			for (int c = 0; c < w; c++) {
				y[2][0][r][c] = 1;
				y[2][1][r][c] = 0;
				p[2][0][r][c] = 0.9;
				p[2][1][r][c] = 0.1;
			}
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final List<SeedDice.Counts> counts = SeedDice.counts(Tensors.of(m, y), Tensors.of(m, p));
			double sum = 0;
			for (int b = 0; b < 3; b++) {
				final int[] t = new int[h * w];
				final int[] q = new int[h * w];
				for (int i = 0; i < h * w; i++) {
					t[i] = y[b][1][i / w][i % w] > y[b][0][i / w][i % w] ? 1 : 0;
					q[i] = p[b][1][i / w][i % w] > p[b][0][i / w][i % w] ? 1 : 0;
				}
				assertEquals(SeedDice.counts(t, q), counts.get(b));
				sum += counts.get(b).dice();
			}
			assertEquals(1, counts.get(2).dice(), 0);
			assertEquals(sum / 3, SeedDice.batchMean(Tensors.of(m, y), Tensors.of(m, p)), 1e-12);
		}
	}

	@Test
	void singleChannelThresholdsAtOneHalf() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray truth = m.create(new float[] { 1, 1, 0, 0 }, new Shape(1, 1, 2, 2));
			final NDArray prediction = m.create(new float[] { 0.6f, 0.5f, 0.7f, 0.1f }, new Shape(1, 1, 2, 2));
			// Predicted foreground: pixels 0 and 2; overlap 1 → 2/(2 + 2).
			assertEquals(new SeedDice.Counts(2, 2, 1), SeedDice.counts(truth, prediction).get(0));
		}
	}
}
