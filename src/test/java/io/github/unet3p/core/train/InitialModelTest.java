package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.testsupport.TinySlices;

/**
 * Fine-tuning ({@code init=<bundle>}): the run starts from the bundle's weights and BatchNorm
 * statistics (its first batch's loss is the loss of those weights on that batch, not of random
 * ones), takes the bundle's architecture for keys left at their default, and refuses keys that
 * disagree with it before writing anything.
 */
class InitialModelTest {

	@TempDir
	static Path data;

	@TempDir
	Path tmp;

	private static Path train;
	private static Path val;
	/** A bundle trained for one epoch with a deep-supervision variant and 3 filters (not the defaults). */
	private static Path start;

	private static final long SEED = 11;

	@BeforeAll
	static void trainTheStartingModel() throws Exception {
		train = TinySlices.write(data.resolve("train"), 8, 32, 1);
		val = TinySlices.write(data.resolve("val"), 4, 32, 2);
		start = data.resolve("start");
		run(base(start).optArchitecture(ModelSpec.builder().optVariant("unet3plus_deepsup").optBackbone("unet3plus").optFilters(3)).build());
	}

	private static TrainSettings.Builder base(final Path model) {
		return TrainSettings.builder().setTrain(train).setValidation(val).setModel(model).optEpochs(1).optBatch(4).optLearningRate(0.01).optSeed(SEED);
	}

	private static TrainingResult run(final TrainSettings s) throws Exception {
		return new Trainer(s, ProgressListener.NONE, Cancellation.none()).run();
	}

	@Test
	void firstBatchLossIsTheLossOfTheStartingWeights() throws Exception {
		final Path tuned = tmp.resolve("tuned");
		run(base(tuned).optInit(start).build());
		final float expected = FirstBatch.lossOfBundle(start, train, SEED, 4);
		assertEquals(expected, FirstBatch.loggedLoss(tuned), 0f, "the fine-tuning run's first batch must be scored with the starting weights");
		final Path fresh = tmp.resolve("fresh");
		run(base(fresh).optArchitecture(ModelBundle.read(start).architecture()).build());
		assertNotEquals(FirstBatch.loggedLoss(fresh), FirstBatch.loggedLoss(tuned), "random weights give another first-batch loss");
	}

	@Test
	void keysLeftAtTheirDefaultTakeTheBundlesArchitectureAndTheRecordNamesTheStart() throws Exception {
		final Path tuned = tmp.resolve("tuned");
		run(base(tuned).optInit(start).build());
		final ModelBundle result = ModelBundle.read(tuned);
		assertEquals(ModelBundle.read(start).architecture(), result.architecture());
		assertEquals(start.toAbsolutePath().toString(), result.training().getAsJsonObject(TrainKeys.INIT).get("bundle").getAsString());
	}

	@Test
	void aKeyThatDisagreesWithTheBundleIsRefusedBeforeAnythingIsWritten() {
		final Path tuned = tmp.resolve("tuned");
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> run(base(tuned).optInit(start).optArchitecture(ModelSpec.builder().optFilters(4).optBackbone("vgg16")).build()));
		assertTrue(e.getMessage().contains(start.toString()) && e.getMessage().contains("filters=4") && e.getMessage().contains("backbone=vgg16"),
			e.getMessage());
		assertFalse(e.getMessage().substring(e.getMessage().indexOf(", but ")).contains("variant="), "variant was left at its default: " + e.getMessage());
		assertFalse(Files.exists(tuned), "nothing may be written");
	}

	@Test
	void aFolderWithoutABundleIsRefusedNamingIt() throws Exception {
		final Path empty = Files.createDirectories(tmp.resolve("not-a-model"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(base(tmp.resolve("tuned")).optInit(empty).build()));
		assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
		assertFalse(Files.exists(tmp.resolve("tuned")));
	}

	@Test
	void resumingAFineTuningRunRepeatsTheUninterruptedOneBitwise() throws Exception {
		final Path twice = tmp.resolve("twice");
		run(base(twice).optInit(start).optEpochs(2).build());
		final Path resumed = tmp.resolve("resumed");
		run(base(resumed).optInit(start).build());
		run(base(resumed).optInit(start).optEpochs(2).optResume(true).build());
		assertArrayEquals(Files.readAllBytes(twice.resolve(ModelBundle.WEIGHTS_FILE)), Files.readAllBytes(resumed.resolve(ModelBundle.WEIGHTS_FILE)));
	}
}
