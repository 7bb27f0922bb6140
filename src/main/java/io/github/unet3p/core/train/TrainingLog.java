package io.github.unet3p.core.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The per-epoch CSV log of a training run ({@code epoch,train_loss,val_loss,val_dice,seconds}).
 * The whole file is rewritten atomically after every epoch, so a killed run never leaves a torn
 * row; a resumed run reads it back and continues it.
 */
public final class TrainingLog {

	/** The CSV header line. */
	public static final String HEADER = "epoch,train_loss,val_loss,val_dice,seconds";

	private final Path file;
	private final List<Row> rows = new ArrayList<>();

	/** A log that will be written to {@code file}. */
	public TrainingLog(final Path file) {
		this.file = file;
	}

	/** One epoch's figures. */
	public record Row(int epoch, double trainLoss, double valLoss, double valDice, double seconds) {

		String csv() {
			return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.2f", epoch, trainLoss, valLoss, valDice, seconds);
		}
	}

	/** Reads an existing log, keeping only rows of epochs below {@code epochs}. */
	public static TrainingLog read(final Path file, final int epochs) throws IOException {
		final TrainingLog log = new TrainingLog(file);
		if (!Files.isRegularFile(file)) return log;
		final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		for (int i = 1; i < lines.size(); i++) {
			final String[] f = lines.get(i).split(",");
			try {
				final Row r = new Row(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
						Double.parseDouble(f[4]));
				if (r.epoch() < epochs) log.rows.add(r);
			}
			catch (final RuntimeException e) {
				throw new InvalidInputException(file + " line " + (i + 1) + " is not a training log row: " + lines.get(i));
			}
		}
		return log;
	}

	/** Appends a row and rewrites the file. */
	public void add(final Row row) throws IOException {
		rows.add(row);
		final StringBuilder sb = new StringBuilder(HEADER).append('\n');
		for (final Row r : rows)
			sb.append(r.csv()).append('\n');
		AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
	}

	/** The rows so far. */
	public List<Row> rows() {
		return Collections.unmodifiableList(rows);
	}
}
