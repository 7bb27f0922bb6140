package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.infer.SliceDiceEvaluator;
import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.metrics.MetricsCsv;
import io.github.unet3p.core.preprocess.LitsPreparer;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCase;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.testsupport.Launch;

/** {@code UNet3+ Evaluate} with the seed Dice keys ({@code model}, {@code data}), alone and beside the LiTS metrics. */
class EvaluateCommandTest {

	private static final String COMMAND = "UNet3+ Evaluate";

	@TempDir
	static Path shared;
	static Path model, lits, data;

	@BeforeAll
	static void setUp() throws IOException {
		model = TinyBundles.write(shared.resolve("model"), 2, 32, 1);
		lits = Files.createDirectories(shared.resolve("lits"));
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(1).setSeed(5).optSize(48).optSlices(5).optSpacing(3, 5).build();
		final SyntheticCase c = RandSyntheticCt.generate(s, 0);
		NiftiWriter.write(lits.resolve("volume-0.nii.gz"), c.ct());
		NiftiWriter.write(lits.resolve("segmentation-0.nii.gz"), c.labels());
		data = shared.resolve("prepared");
		new LitsPreparer(PreprocessSettings.builder().optSize(32).build()).prepare(lits, data, ProgressListener.NONE, Cancellation.none());
	}

	@TempDir
	Path tmp;

	/** The seed Dice on the default engine ({@code auto}), which the command uses when not told. */
	private static double expectedSeedDice() {
		try (BundleModel net = ProbabilityModels.open(model, InferenceEngine.DEFAULT, Precision.FP32)) {
			return SliceDiceEvaluator.evaluate(data, net, net.preparation(), 4, ProgressListener.NONE, Cancellation.none()).meanDice();
		}
	}

	@Test
	void modelAndDataAloneWriteTheSeedDiceToOutput() throws IOException {
		final Path csv = tmp.resolve("seed.csv");
		final Launch.Outcome r = Launch.run(COMMAND, "model='" + model + "',data='" + data + "',output='" + csv + "',batch=3");
		assertEquals(0, r.status(), r.text());
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(SliceDiceEvaluator.CSV_HEADER, lines.get(0));
		assertEquals(1 + 5 + 1, lines.size(), "a row per prepared slice, then the mean");
		assertTrue(lines.get(1).startsWith("0_0,"), lines.get(1));
		final String mean = String.format(Locale.ROOT, "%.6f", expectedSeedDice());
		assertTrue(lines.get(6).startsWith("mean," + mean + ","), lines.get(6) + " vs " + mean);
		assertTrue(r.text().contains("Seed Dice") && r.text().contains(String.format(Locale.ROOT, "%.5f", expectedSeedDice())), r.text());
	}

	@Test
	void bothPairsWriteTheLitsCsvAndTheSeedDiceBesideIt() throws IOException {
		final Path csv = tmp.resolve("metrics.csv");
		final Path truth = lits.resolve("segmentation-0.nii.gz");
		final Launch.Outcome r = Launch.run(COMMAND,
				"prediction='" + truth + "',truth='" + truth + "',model='" + model + "',data='" + data + "',output='" + csv + "'");
		assertEquals(0, r.status(), r.text());
		assertEquals(MetricsCsv.HEADER, Files.readAllLines(csv).get(0), "output keeps its LiTS format");
		assertEquals(SliceDiceEvaluator.CSV_HEADER, Files.readAllLines(tmp.resolve("metrics" + EvaluateCommand.SEED_DICE_SUFFIX)).get(0));
	}

	@Test
	void halfAPairOrNoPairIsRefusedByName() {
		final Path csv = tmp.resolve("x.csv");
		final Launch.Outcome half = Launch.run(COMMAND, "model='" + model + "',output='" + csv + "'");
		assertEquals(1, half.status());
		assertTrue(half.text().contains("model is given but data is not"), half.text());
		final Launch.Outcome none = Launch.run(COMMAND, "output='" + csv + "'");
		assertEquals(1, none.status());
		assertTrue(none.text().contains("prediction and truth") && none.text().contains("model and data"), none.text());
		assertFalse(Files.exists(csv));
	}
}
