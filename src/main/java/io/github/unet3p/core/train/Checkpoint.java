package io.github.unet3p.core.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The state of a training run after its last finished epoch, in the training folder: a folder
 * {@code checkpoint-E/} with the weights and the optimizer state, and {@code checkpoint.json}
 * pointing at it with the epoch, the best epoch and Dice so far, and the trajectory settings.
 *
 * <p>NB: the pointer file is written last and atomically, and only then are older checkpoint
 * folders removed: a run killed at any moment leaves a pointer to a complete checkpoint.
 *
 * @param folder the checkpoint folder's name inside the training folder
 * @param epoch the last finished epoch (0-based)
 * @param bestEpoch the epoch of the best validation Dice so far (0-based)
 * @param bestDice the best validation Dice so far
 * @param trajectory the settings that decide the run's trajectory ({@code null} for checkpoints
 *          written before they were recorded)
 */
public record Checkpoint(String folder, int epoch, int bestEpoch, double bestDice, JsonObject trajectory) {

	/** The pointer file inside the training folder. */
	public static final String FILE = "checkpoint.json";
	/** The optimizer state inside a checkpoint folder. */
	public static final String OPTIMIZER_FILE = "optimizer.bin";
	private static final String PREFIX = "checkpoint-";

	/** Writes what a checkpoint holds into a checkpoint folder. */
	@FunctionalInterface
	public interface Contents {
		/** Writes the weights to {@code weights} and the optimizer state to {@code optimizer}. */
		void write(Path weights, Path optimizer) throws IOException;
	}

	/** Whether {@code trainingDir} holds a checkpoint pointer. */
	public static boolean exists(final Path trainingDir) {
		return Files.isRegularFile(trainingDir.resolve(FILE));
	}

	/** Reads the checkpoint of {@code trainingDir}; one clear message when it is unreadable. */
	public static Checkpoint read(final Path trainingDir) throws IOException {
		final Path file = trainingDir.resolve(FILE);
		try {
			final JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
			final JsonElement t = o.get("settings");
			return new Checkpoint(o.get("folder").getAsString(), o.get("epoch").getAsInt(), o.get("best_epoch").getAsInt(), o.get("best_dice").getAsDouble(),
				t != null && t.isJsonObject() ? t.getAsJsonObject() : null);
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + " is not a valid training checkpoint (" + e.getMessage() + "); train into a new model folder.");
		}
	}

	/**
	 * Writes the checkpoint of finished epoch {@code epoch}: {@code contents} fills a new folder,
	 * the pointer file then names it, and older checkpoint folders are removed.
	 */
	public static Checkpoint write(final Path trainingDir, final int epoch, final int bestEpoch, final double bestDice, final JsonObject trajectory,
		final Contents contents) throws IOException {
		final Checkpoint c = new Checkpoint(PREFIX + epoch, epoch, bestEpoch, bestDice, trajectory);
		final Path dir = trainingDir.resolve(c.folder);
		Files.createDirectories(dir);
		contents.write(dir.resolve(ModelBundle.WEIGHTS_FILE), dir.resolve(OPTIMIZER_FILE));
		final JsonObject o = new JsonObject();
		o.addProperty("folder", c.folder);
		o.addProperty("epoch", epoch);
		o.addProperty("best_epoch", bestEpoch);
		o.addProperty("best_dice", bestDice);
		o.add("settings", trajectory);
		AtomicFiles.write(trainingDir.resolve(FILE), o.toString().getBytes(StandardCharsets.UTF_8));
		c.removeOthers(trainingDir);
		return c;
	}

	/** The weights file of this checkpoint. */
	public Path weights(final Path trainingDir) {
		return trainingDir.resolve(folder).resolve(ModelBundle.WEIGHTS_FILE);
	}

	/** The optimizer state file of this checkpoint. */
	public Path optimizer(final Path trainingDir) {
		return trainingDir.resolve(folder).resolve(OPTIMIZER_FILE);
	}

	/**
	 * Refuses to resume with other trajectory settings than the checkpoint's (a resumed run must
	 * repeat the interrupted one, not silently become another). A checkpoint without recorded
	 * settings is accepted as it is.
	 */
	public void requireSameTrajectory(final JsonObject now, final Path modelDir) {
		if (trajectory == null) return;
		final List<String> changed = new ArrayList<>();
		for (final String key : now.keySet()) {
			final JsonElement before = trajectory.get(key);
			if (before != null && !before.equals(now.get(key))) changed.add(key + "=" + before + " (now " + now.get(key) + ")");
		}
		if (!changed.isEmpty())
			throw new InvalidInputException("Cannot resume " + modelDir + ": its checkpoint was trained with " + String.join(", ", changed)
				+ ". Resume with the checkpoint's settings, or train into a new model folder.");
	}

	private void removeOthers(final Path trainingDir) throws IOException {
		try (var entries = Files.list(trainingDir)) {
			for (final Path p : (Iterable<Path>) entries::iterator) {
				final String name = p.getFileName().toString();
				if (name.startsWith(PREFIX) && !name.equals(folder) && Files.isDirectory(p)) deleteTree(p);
			}
		}
	}

	private static void deleteTree(final Path dir) throws IOException {
		try (var files = Files.walk(dir)) {
			for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
		}
	}
}
