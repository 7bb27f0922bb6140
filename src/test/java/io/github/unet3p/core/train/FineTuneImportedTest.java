package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.infer.SliceDiceEvaluator;
import io.github.unet3p.core.infer.TorchProbabilityModel;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.model.keras.KerasImport;
import io.github.unet3p.core.preprocess.LitsPreparer;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Fine-tuning a model trained by the reference recipe itself: {@code recipe-trained-w4-64.hdf5} is
 * the Keras checkpoint of a width-4 UNet3+ that the recipe's own TensorFlow code trained for 3
 * epochs on the bundled sample data at 64 px
 * ({@code src/test/fixtures/recipe-trained/make_recipe_trained.sh}). UNet3+ Import turns it into a
 * bundle; Train with {@code init} starts from it: the first batch is scored with the imported
 * weights, and one epoch on the sample data does not validate worse than the imported model.
 */
class FineTuneImportedTest {

	private static final long SEED = 5;
	private static final int BATCH = 4;

	@TempDir
	static Path tmp;

	private static Path train;
	private static Path validation;
	private static Path imported;
	private static Path tuned;

	@BeforeAll
	static void importAndFineTune() throws Exception {
		final LitsPreparer preparer = new LitsPreparer(PreprocessSettings.builder().optSize(64).build());
		train = tmp.resolve("train");
		validation = tmp.resolve("validation");
		preparer.prepare(Path.of("sample-data/lits/train"), train, ProgressListener.NONE, Cancellation.none());
		preparer.prepare(Path.of("sample-data/lits/validation"), validation, ProgressListener.NONE, Cancellation.none());
		imported = tmp.resolve("imported");
		final Path checkpoint = Path.of(FineTuneImportedTest.class.getResource("recipe-trained-w4-64.hdf5").toURI());
		KerasImport.run(checkpoint, imported, Variant.UNET3PLUS, Backbone.UNET3PLUS, 2, 64, false);
		tuned = tmp.resolve("tuned");
		new Trainer(TrainSettings.builder().setTrain(train).setValidation(validation).setModel(tuned).optInit(imported).optEpochs(1).optBatch(BATCH)
			.optLearningRate(1e-3).optSeed(SEED).build(), ProgressListener.NONE, Cancellation.none()).run();
	}

	private static double recipeDice(final Path bundle) {
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle)) {
			return SliceDiceEvaluator.evaluate(validation, model, PreprocessSettings.builder().optSize(64).build(), 8, ProgressListener.NONE,
				Cancellation.none()).meanDice();
		}
	}

	@Test
	void theFirstBatchIsScoredWithTheImportedWeights() throws Exception {
		assertEquals(FirstBatch.lossOfBundle(imported, train, SEED, BATCH), FirstBatch.loggedLoss(tuned), 0f);
	}

	@Test
	void oneEpochOnTheSampleDataValidatesAtLeastAsWellAsTheImportedModel() {
		final double before = recipeDice(imported);
		final double after = recipeDice(tuned);
		System.out.printf(java.util.Locale.ROOT, "recipe Dice on validation: imported %.4f, after one epoch %.4f%n", before, after);
		assertTrue(before > 0.3, "the recipe-trained checkpoint should already find liver: " + before);
		assertTrue(after >= before, "validation Dice after one epoch " + after + " < imported " + before);
	}
}
