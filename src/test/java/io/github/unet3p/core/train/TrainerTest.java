package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.FolderLock;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.testsupport.TinySlices;

/**
 * The trainer on a tiny dataset (8 + 4 slices of 32², 2 filters, batch 4): learning, bitwise resume after a
 * finished or a cancelled epoch, the NaN guards, and the refusals that protect a model folder.
 */
class TrainerTest {

	@TempDir
	static Path data;

	@TempDir
	Path tmp;

	private static Path train;
	private static Path val;
	/** An uninterrupted 2-epoch run. */
	private static Path twoEpochs;
	private static TrainingResult twoEpochsResult;
	/** A 1-epoch run with the same settings (copied before each use). */
	private static Path oneEpoch;

	@BeforeAll
	static void trainOnceAndTwice() throws Exception {
		train = TinySlices.write(data.resolve("train"), 8, 32, 1);
		val = TinySlices.write(data.resolve("val"), 4, 32, 2);
		twoEpochs = data.resolve("two");
		twoEpochsResult = run(settings(twoEpochs, 2).build());
		oneEpoch = data.resolve("one");
		run(settings(oneEpoch, 1).build());
	}

	/** A copy of the 1-epoch model folder at {@code target}. */
	private static Path copyOfOneEpoch(final Path target) throws IOException {
		try (var files = Files.walk(oneEpoch)) {
			for (final Path p : (Iterable<Path>) files::iterator) {
				final Path to = target.resolve(oneEpoch.relativize(p).toString());
				if (Files.isDirectory(p)) Files.createDirectories(to);
				else if (!p.getFileName().toString().equals(FolderLock.FILE_NAME)) Files.copy(p, to);
			}
		}
		return target;
	}

	private static TrainSettings.Builder settings(final Path model, final int epochs) {
		return TrainSettings.builder().setTrain(train).setValidation(val).setModel(model)
				.optArchitecture(ModelSpec.builder().optVariant("unet3plus").optBackbone("unet3plus").optFilters(2)).optEpochs(epochs).optBatch(4)
				.optLearningRate(0.01).optSeed(7).optAugmentation(Augmentation.LIGHT);
	}

	private static TrainingResult run(final TrainSettings s) throws Exception {
		return new Trainer(s, ProgressListener.NONE, Cancellation.none()).run();
	}

	private static byte[] bytes(final Path p) throws IOException {
		return Files.readAllBytes(p);
	}

	/** The log's rows without the seconds column. */
	private static List<String> rowsWithoutSeconds(final Path model) throws IOException {
		final List<String> rows = new ArrayList<>();
		for (final String line : Files.readAllLines(model.resolve(Trainer.TRAINING_DIR).resolve(Trainer.LOG_FILE), StandardCharsets.UTF_8))
			rows.add(line.substring(0, line.lastIndexOf(',')));
		return rows;
	}

	private static Path lastCheckpointWeights(final Path model) throws IOException {
		final Path dir = model.resolve(Trainer.TRAINING_DIR);
		return Checkpoint.read(dir).weights(dir);
	}

	@Test
	void twoEpochsLowerTheTrainingLossAndWriteABundle() throws Exception {
		final TrainingResult r = twoEpochsResult;
		assertEquals(2, r.log().size());
		assertTrue(r.log().get(1).trainLoss() < r.log().get(0).trainLoss(), "loss must fall: " + r.log());
		for (final TrainingLog.Row row : r.log())
			assertTrue(Double.isFinite(row.valLoss()) && row.valDice() >= 0 && row.valDice() <= 1, row.toString());
		assertEquals("completed", r.stop());
		final ModelBundle bundle = ModelBundle.read(twoEpochs);
		assertEquals(32, bundle.architecture().size());
		assertEquals(r.bestEpoch() + 1, bundle.training().get("best_epoch").getAsInt());
		assertEquals(2, bundle.training().get("epochs_completed").getAsInt());
		assertEquals(3, Files.readAllLines(twoEpochs.resolve("training/log.csv")).size(), "header + 2 rows");
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			bundle.loadNetwork(twoEpochs, m);
		}
	}

	@Test
	void resumeAfterAFinishedEpochRepeatsTheUninterruptedRunBitwise() throws Exception {
		final Path b = copyOfOneEpoch(tmp.resolve("b"));
		final TrainingResult resumed = run(settings(b, 2).optResume(true).build());
		assertEquals(2, resumed.log().size(), "the resumed run's result holds the earlier epoch's row too");
		assertEquals(rowsWithoutSeconds(twoEpochs), rowsWithoutSeconds(b));
		assertArrayEquals(bytes(lastCheckpointWeights(twoEpochs)), bytes(lastCheckpointWeights(b)), "final weights must be bitwise equal");
		assertArrayEquals(bytes(twoEpochs.resolve(ModelBundle.WEIGHTS_FILE)), bytes(b.resolve(ModelBundle.WEIGHTS_FILE)), "best weights must be bitwise equal");
	}

	@Test
	void resumeWithOtherTrajectorySettingsIsRefusedAndChangesNothing() throws Exception {
		final Path b = copyOfOneEpoch(tmp.resolve("b"));
		final byte[] before = bytes(b.resolve("training/" + Checkpoint.FILE));
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> run(settings(b, 2).optBatch(2).optLearningRate(0.02).optResume(true).build()));
		assertTrue(e.getMessage().contains(b.toString()) && e.getMessage().contains("batch=4 (now 2)") && e.getMessage().contains("learning_rate=0.01 (now 0.02)"),
				e.getMessage());
		assertArrayEquals(before, bytes(b.resolve("training/" + Checkpoint.FILE)), "a refused resume must not touch the checkpoint");
		// More epochs (or another patience) is a legitimate resume.
		assertEquals(3, run(settings(b, 3).optPatience(50).optResume(true).build()).log().size());
	}

	@Test
	void trainsOnAThreadOtherThanTheOneThatStartedTheEngine() throws Exception {
		// As in Fiji, where each command runs on a pool thread: PyTorch's grad mode is on there.
		final Path b = copyOfOneEpoch(tmp.resolve("b"));
		final Throwable[] failure = new Throwable[1];
		final Thread t = new Thread(() -> {
			try {
				run(settings(b, 2).optResume(true).build());
			}
			catch (final Throwable e) {
				failure[0] = e;
			}
		});
		t.start();
		t.join();
		if (failure[0] != null) throw new AssertionError("training failed on a new thread", failure[0]);
		assertArrayEquals(bytes(lastCheckpointWeights(twoEpochs)), bytes(lastCheckpointWeights(b)));
	}

	/** Cancels when the progress of {@code task} reaches batch {@code batch}. */
	private static final class CancelAt implements ProgressListener {

		private final String task;
		private final int batch;
		final Cancellation cancel = new Cancellation();

		CancelAt(final String task, final int batch) {
			this.task = task;
			this.batch = batch;
		}

		@Override
		public void progress(final String t, final long done, final long total) {
			if (t.startsWith(task) && done == batch) cancel.cancel();
		}

		@Override
		public void message(final String text) {}
	}

	@Test
	void cancelMidEpochKeepsBestWeightsAndCheckpointAndResumeRepeatsTheUninterruptedRun() throws Exception {
		final Path b = tmp.resolve("b");
		final CancelAt stopper = new CancelAt("Epoch 2/2", 1);
		final AtomicInteger epochsSeen = new AtomicInteger();
		final Trainer interrupted = new Trainer(settings(b, 2).build(), stopper, stopper.cancel, (row, best) -> epochsSeen.incrementAndGet());
		assertThrows(CancelledException.class, interrupted::run);
		assertEquals(1, epochsSeen.get(), "epoch 2 was cancelled after its first batch");
		assertArrayEquals(bytes(oneEpoch.resolve(ModelBundle.WEIGHTS_FILE)), bytes(b.resolve(ModelBundle.WEIGHTS_FILE)),
				"the best weights are epoch 1's, untouched by the cancelled epoch");
		assertArrayEquals(bytes(lastCheckpointWeights(oneEpoch)), bytes(lastCheckpointWeights(b)), "the checkpoint is epoch 1's");
		assertEquals(rowsWithoutSeconds(oneEpoch), rowsWithoutSeconds(b));
		assertTrue(ModelBundle.isBundle(b));

		run(settings(b, 2).optResume(true).build());
		assertEquals(rowsWithoutSeconds(twoEpochs), rowsWithoutSeconds(b));
		assertArrayEquals(bytes(lastCheckpointWeights(twoEpochs)), bytes(lastCheckpointWeights(b)));
	}

	/** Replaces one array of the last checkpoint's weights with NaN. */
	private static void poisonCheckpoint(final Path model, final Parameter.Type type) throws IOException {
		final Path file = lastCheckpointWeights(model);
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(ModelBundle.read(model).architecture()).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 0);
			ModelWeights.load(net, file);
			for (final Pair<String, Parameter> p : net.block().getParameters())
				if (p.getValue().getType() == type) {
					final float[] nan = new float[Math.toIntExact(p.getValue().getArray().size())];
					Arrays.fill(nan, Float.NaN);
					p.getValue().getArray().set(nan);
					break;
				}
			ModelWeights.save(net.block(), file);
		}
	}

	@Test
	void lossThatBecomesNanStopsNamingEpochAndBatchAndKeepsTheBestWeights() throws Exception {
		final Path model = copyOfOneEpoch(tmp.resolve("m"));
		final byte[] best = bytes(model.resolve(ModelBundle.WEIGHTS_FILE));
		poisonCheckpoint(model, Parameter.Type.WEIGHT);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(settings(model, 3).optResume(true).build()));
		assertTrue(e.getMessage().contains("epoch 2, batch 1") && e.getMessage().contains("learning_rate"), e.getMessage());
		assertTrue(e.getMessage().matches("(?s).*slices image_\\d+_\\d+\\.png.*"), "names the batch's slice files: " + e.getMessage());
		assertArrayEquals(best, bytes(model.resolve(ModelBundle.WEIGHTS_FILE)));
		assertTrue(Files.isRegularFile(model.resolve("training/" + Checkpoint.FILE)), "the last checkpoint is kept");
		assertEquals(2, Files.readAllLines(model.resolve("training/log.csv")).size(), "no row for the diverged epoch");
	}

	@Test
	void validationThatBecomesNanStopsBeforeReplacingTheBestWeights() throws Exception {
		final Path model = copyOfOneEpoch(tmp.resolve("m"));
		final byte[] best = bytes(model.resolve(ModelBundle.WEIGHTS_FILE));
		// Training normalises with batch statistics and stays finite; validation uses the moving ones.
		poisonCheckpoint(model, Parameter.Type.RUNNING_VAR);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(settings(model, 3).optResume(true).build()));
		assertTrue(e.getMessage().contains("epoch 2") && e.getMessage().contains("validation"), e.getMessage());
		assertArrayEquals(best, bytes(model.resolve(ModelBundle.WEIGHTS_FILE)));
	}

	@Test
	void aSecondRunIntoAnExistingModelFolderIsRefusedWithoutResume() throws Exception {
		final Path model = copyOfOneEpoch(tmp.resolve("m"));
		final byte[] best = bytes(model.resolve(ModelBundle.WEIGHTS_FILE));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(settings(model, 2).build()));
		assertTrue(e.getMessage().contains(model.toString()) && e.getMessage().contains("resume=true"), e.getMessage());
		assertArrayEquals(best, bytes(model.resolve(ModelBundle.WEIGHTS_FILE)));
	}

	@Test
	void theLockRefusesAConcurrentRun() throws Exception {
		final Path model = tmp.resolve("m");
		final Path trainingDir = model.resolve(Trainer.TRAINING_DIR);
		Files.createDirectories(trainingDir);
		try (FolderLock held = FolderLock.acquire(trainingDir)) {
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(settings(model, 1).optResume(true).build()));
			assertTrue(e.getMessage().contains("Another training run") && e.getMessage().contains(model.toString()), e.getMessage());
		}
		FolderLock.acquire(trainingDir).close();
		FolderLock.acquire(oneEpoch.resolve(Trainer.TRAINING_DIR)).close(); // a finished run released its lock
	}

	@Test
	void earlyStoppingEndsAfterPatienceEpochsWithoutImprovement() throws Exception {
		// learning rate so small that the Dice cannot improve after the first epoch's; no BatchNorm
		// recalibration (auto would recalibrate these 2-batch epochs, re-estimating the statistics
		// from differently shuffled batches each epoch, which moves the Dice without any learning)
		final TrainingResult r = run(settings(tmp.resolve("m"), 4).optLearningRate(1e-9).optPatience(1).optBnRecalibrate(0).build());
		assertEquals("early_stopping", r.stop());
		assertTrue(r.log().size() < 4, r.log().toString());
	}
}
