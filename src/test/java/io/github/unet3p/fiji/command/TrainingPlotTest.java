package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.train.TrainingLog;
import io.github.unet3p.core.util.ProgressListener;

/** The training curve: written after every epoch, headless, with or without fonts. */
class TrainingPlotTest {

	@TempDir
	Path tmp;

	private final List<String> messages = new ArrayList<>();
	private final ProgressListener listener = new ProgressListener() {
		@Override
		public void progress(final String task, final long done, final long total) {}

		@Override
		public void message(final String text) {
			messages.add(text);
		}
	};

	private static TrainingLog.Row row(final int epoch, final double train, final double val, final double dice) {
		return new TrainingLog.Row(epoch, train, val, dice, 2.0);
	}

	@Test
	void everyEpochRewritesThePngWithAllThreeCurvesHeadless() throws Exception {
		final Path png = tmp.resolve("training/curve.png");
		final TrainingPlot plot = new TrainingPlot("t", png, true, List.of(), 10, listener);
		plot.epochEnded(row(0, 1.2, 1.3, 0.40), true);
		assertTrue(Files.isRegularFile(png), "one epoch already gives a curve");
		plot.epochEnded(row(1, 0.9, 1.1, 0.55), true);
		plot.epochEnded(row(2, 0.7, 1.0, 0.50), false);
		final BufferedImage image = ImageIO.read(png.toFile());
		assertEquals(TrainingPlot.WIDTH, image.getWidth());
		assertEquals(2 * TrainingPlot.PANEL_HEIGHT, image.getHeight());
		assertTrue(count(image, TrainingPlot.TRAIN) > 20, "training loss curve drawn");
		assertTrue(count(image, TrainingPlot.VALIDATION) > 20, "validation loss curve drawn");
		assertTrue(count(image, TrainingPlot.DICE) > 20, "Dice curve drawn");
		assertFalse(plot.textless(), "this JVM has fonts: " + messages);
		try (Stream<Path> files = Files.list(png.getParent())) {
			assertEquals(List.of(png), files.toList(), "no temporary file is left behind");
		}
	}

	@Test
	void captionNamesTheBestEpochAndTheRemainingTime() {
		final TrainingPlot plot = new TrainingPlot("t", tmp.resolve("c.png"), false, List.of(), 10, listener);
		plot.epochEnded(row(0, 1.2, 1.3, 0.40), true);
		plot.epochEnded(row(1, 0.9, 1.1, 0.55), true);
		plot.epochEnded(row(2, 0.7, 1.0, 0.50), false);
		// 7 epochs left at 2 s each.
		assertEquals("Epoch 3/10, about 0m14s left; best validation Dice 0.5500 (epoch 2)", plot.caption());
	}

	@Test
	void aResumedRunContinuesTheEarlierRowsAndReplacesARepeatedEpoch() {
		final List<TrainingLog.Row> earlier = List.of(row(0, 1.2, 1.3, 0.40), row(1, 0.9, 1.1, 0.60), row(2, 0.8, 1.0, 0.58));
		final TrainingPlot plot = new TrainingPlot("t", tmp.resolve("c.png"), false, earlier, 5, listener);
		// The checkpoint was of epoch 1: epoch 2 runs again.
		plot.epochEnded(row(2, 0.75, 0.95, 0.62), true);
		assertEquals(3, plot.rows().size());
		assertEquals(0.62, plot.rows().get(2).valDice());
		assertTrue(plot.caption().endsWith("best validation Dice 0.6200 (epoch 3)"), plot.caption());
	}

	@Test
	void withoutFontsTheCurvesAreDrawnWithoutTextAndTrainingGoesOn() throws Exception {
		final Path png = tmp.resolve("curve.png");
		final TrainingPlot plot = new TrainingPlot("t", png, false, List.of(), 3, listener, p -> {
			throw new Error("Probable fatal error: No physical fonts found.");
		});
		plot.epochEnded(row(0, 1.2, 1.3, 0.40), true);
		plot.epochEnded(row(1, 0.9, Double.NaN, 0.55), true);
		assertTrue(plot.textless());
		assertEquals(1, messages.size(), "the fallback is announced once: " + messages);
		assertTrue(messages.get(0).contains("No physical fonts found"), messages.get(0));
		final BufferedImage image = ImageIO.read(png.toFile());
		assertTrue(count(image, TrainingPlot.TRAIN) > 20);
		assertTrue(count(image, TrainingPlot.DICE) > 20);
	}

	@Test
	void yRangeIgnoresNonFiniteLossesAndKeepsAFlatCurveVisible() {
		final double[] r = TrainingPlot.yRange(new double[] { 1, Double.NaN, 3 }, new double[] { Double.POSITIVE_INFINITY, 2 });
		assertEquals(0.9, r[0], 1e-12);
		assertEquals(3.1, r[1], 1e-12);
		final double[] flat = TrainingPlot.yRange(new double[] { 2, 2 }, new double[] { 2 });
		assertTrue(flat[0] < 2 && flat[1] > 2);
		assertEquals(List.of(0.5, 1.5), List.of(TrainingPlot.xRange(new double[] { 1 })[0], TrainingPlot.xRange(new double[] { 1 })[1]));
	}

	private static int count(final BufferedImage image, final Color colour) {
		int n = 0;
		for (int y = 0; y < image.getHeight(); y++)
			for (int x = 0; x < image.getWidth(); x++)
				if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) n++;
		return n;
	}
}
