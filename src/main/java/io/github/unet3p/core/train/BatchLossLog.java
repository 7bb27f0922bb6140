package io.github.unet3p.core.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The loss of every training batch ({@code epoch,batch,loss}, the float32 loss in full: the
 * shortest decimal that reads back to the same float). One epoch's rows are appended when the
 * epoch ends; a resumed run first drops the rows of epochs it will repeat, so the file of a
 * killed-and-resumed run equals that of an uninterrupted one.
 *
 * <p>NB: two runs with the same settings must produce this file byte for byte; comparing it (with
 * {@code weights.params}) is how reproducibility is checked, not the rounded figures printed.
 */
public final class BatchLossLog {

	/** The file name inside the training folder. */
	public static final String FILE = "batches.csv";
	/** The CSV header line. */
	public static final String HEADER = "epoch,batch,loss";

	private final Path file;

	private BatchLossLog(final Path file) {
		this.file = file;
	}

	/**
	 * The log at {@code file}, keeping the rows of epochs below {@code firstEpoch} (0 for a new
	 * run: the file starts empty).
	 */
	public static BatchLossLog open(final Path file, final int firstEpoch) throws IOException {
		final StringBuilder kept = new StringBuilder(HEADER).append('\n');
		if (firstEpoch > 0 && Files.isRegularFile(file)) {
			final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			for (int i = 1; i < lines.size(); i++) {
				final String line = lines.get(i);
				final int comma = line.indexOf(',');
				final int epoch;
				try {
					epoch = Integer.parseInt(comma < 0 ? line : line.substring(0, comma)) - 1;
				}
				catch (final NumberFormatException e) {
					throw new InvalidInputException(file + " line " + (i + 1) + " is not a batch loss row: " + line);
				}
				if (epoch < firstEpoch) kept.append(line).append('\n');
			}
		}
		AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
		return new BatchLossLog(file);
	}

	/** Appends the losses of epoch {@code epoch} (0-based), batch 1 first. */
	public void append(final int epoch, final float[] losses) throws IOException {
		final StringBuilder sb = new StringBuilder();
		for (int b = 0; b < losses.length; b++)
			sb.append(epoch + 1).append(',').append(b + 1).append(',').append(Float.toString(losses[b])).append('\n');
		try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
			w.write(sb.toString());
		}
	}

	/** The rows as written ({@code epoch,batch,loss}, header first). */
	public static List<String> read(final Path file) throws IOException {
		return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
	}
}
