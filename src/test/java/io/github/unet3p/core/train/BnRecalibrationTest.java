package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.testsupport.TinySlices;

/**
 * {@code bn_recalibrate=auto}: the threshold derived from Keras' momentum, the decision at a few
 * scans and at LiTS scale, parsing, and a real run of {@value BnRecalibration#SETTLE_BATCHES}
 * batches per epoch that {@code auto} leaves bit-identical to {@code bn_recalibrate=0}.
 */
class BnRecalibrationTest {

	@TempDir
	Path tmp;

	@Test
	void theThresholdIsWhereMomentum099LeavesUnderOnePercentOfTheStartingStatistics() {
		final int n = BnRecalibration.SETTLE_BATCHES;
		assertEquals((int) Math.ceil(Math.log(BnRecalibration.SETTLED_WEIGHT) / Math.log(BnRecalibration.KERAS_MOMENTUM)), n);
		assertTrue(Math.pow(0.99, n) < 0.01, "settled at n");
		assertTrue(Math.pow(0.99, n - 1) >= 0.01, "not yet at n - 1");
	}

	@Test
	void autoRecalibratesAFewScansAndLeavesLitsAlone() {
		final int auto = BnRecalibration.AUTO_VALUE;
		// issue 22's set: 120 training slices at batch 4 = 30 batches per epoch
		assertEquals(BnRecalibration.AUTO_BATCHES, BnRecalibration.batches(auto, BnRecalibration.batchesPerEpoch(120, 4)));
		assertEquals(BnRecalibration.AUTO_BATCHES, BnRecalibration.batches(auto, BnRecalibration.SETTLE_BATCHES - 1));
		assertEquals(0, BnRecalibration.batches(auto, BnRecalibration.SETTLE_BATCHES));
		// LiTS 2017 at the recipe's scale: ~58,600 training slices at batch 16 = 3,663 batches
		assertEquals(0, BnRecalibration.batches(auto, BnRecalibration.batchesPerEpoch(58_600, 16)));
		assertEquals(0, BnRecalibration.batches(0, 30), "0 stays off");
		assertEquals(7, BnRecalibration.batches(7, 5_000), "a number is forced");
		assertEquals(459, BnRecalibration.batchesPerEpoch(459, 1));
		assertEquals(115, BnRecalibration.batchesPerEpoch(459, 4));
	}

	@Test
	void theKeyTakesAutoZeroOrANumberAndRefusesTheRestByName() {
		assertEquals(BnRecalibration.AUTO_VALUE, BnRecalibration.parse("auto"));
		assertEquals(BnRecalibration.AUTO_VALUE, BnRecalibration.parse(""));
		assertEquals(0, BnRecalibration.parse("0"));
		assertEquals(50, BnRecalibration.parse("50"));
		for (final String bad : List.of("-1", "often", "2.5", "100001")) {
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> BnRecalibration.parse(bad), bad);
			assertTrue(e.getMessage().startsWith("bn_recalibrate must be 'auto'"), e.getMessage());
		}
		assertThrows(InvalidInputException.class, () -> TrainSettings.builder().setTrain(tmp).setValidation(tmp).setModel(tmp).optBnRecalibrate(-2).build());
		assertEquals(BnRecalibration.AUTO_VALUE, TrainSettings.builder().setTrain(tmp).setValidation(tmp).setModel(tmp).build().bnRecalibrate(), "the default");
	}

	@Test
	void autoLeavesAnEpochOfSettlingLengthBitIdenticalToOff() throws Exception {
		// One epoch of exactly SETTLE_BATCHES batches (batch 1), the fewest auto leaves alone.
		final Path train = TinySlices.write(tmp.resolve("train"), BnRecalibration.SETTLE_BATCHES, 32, 3);
		final Path val = TinySlices.write(tmp.resolve("val"), 2, 32, 4);
		final Path auto = train(train, val, tmp.resolve("auto"), BnRecalibration.AUTO);
		final Path off = train(train, val, tmp.resolve("off"), "0");
		assertArrayEquals(Files.readAllBytes(off.resolve("weights.params")), Files.readAllBytes(auto.resolve("weights.params")));
		assertEquals(rowsWithoutSeconds(off), rowsWithoutSeconds(auto));
		// and the same short run below the threshold does recalibrate: the saved statistics differ
		final Path fewTrain = TinySlices.write(tmp.resolve("few"), 8, 32, 3);
		final Path fewAuto = train(fewTrain, val, tmp.resolve("few-auto"), BnRecalibration.AUTO);
		final Path fewOff = train(fewTrain, val, tmp.resolve("few-off"), "0");
		assertTrue(!java.util.Arrays.equals(Files.readAllBytes(fewOff.resolve("weights.params")), Files.readAllBytes(fewAuto.resolve("weights.params"))));
	}

	private static Path train(final Path train, final Path val, final Path model, final String bn) throws Exception {
		final TrainSettings s = TrainSettings.builder().setTrain(train).setValidation(val).setModel(model)
				.optArchitecture(ModelSpec.builder().optVariant("unet3plus").optBackbone("unet3plus").optFilters(2)).optEpochs(1).optBatch(1)
				.optLearningRate(0.01).optSeed(7).optBnRecalibrate(bn).build();
		new Trainer(s, ProgressListener.NONE, Cancellation.none()).run();
		return model;
	}

	private static List<String> rowsWithoutSeconds(final Path model) throws Exception {
		return Files.readAllLines(model.resolve(Trainer.TRAINING_DIR).resolve(Trainer.LOG_FILE), StandardCharsets.UTF_8).stream()
				.map(l -> l.substring(0, l.lastIndexOf(','))).collect(Collectors.toList());
	}
}
