package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.util.InvalidInputException;

/** The per-epoch CSV: its exact text, reading it back for a resume, and refusing a damaged file. */
class TrainingLogTest {

	@TempDir
	Path tmp;

	@Test
	void everyAddRewritesTheWholeFileWithFixedPrecision() throws IOException {
		final Path file = tmp.resolve("log.csv");
		final TrainingLog log = new TrainingLog(file);
		log.add(new TrainingLog.Row(0, 1.5, 2.25, 0.5, 3.456));
		assertEquals(List.of(TrainingLog.HEADER, "0,1.500000,2.250000,0.500000,3.46"), Files.readAllLines(file));
		log.add(new TrainingLog.Row(1, 1.0 / 3, 0.1234567, 0.9876543, 10));
		assertEquals(List.of("epoch,train_loss,val_loss,val_dice,seconds", "0,1.500000,2.250000,0.500000,3.46", "1,0.333333,0.123457,0.987654,10.00"),
				Files.readAllLines(file));
		assertEquals(2, log.rows().size());
		try (var files = Files.list(tmp)) {
			assertEquals(1, files.count(), "no temporary file is left beside the log");
		}
	}

	@Test
	void readKeepsOnlyTheEpochsBeforeTheResumePoint() throws IOException {
		final Path file = tmp.resolve("log.csv");
		final TrainingLog log = new TrainingLog(file);
		for (int e = 0; e < 4; e++)
			log.add(new TrainingLog.Row(e, e, e, e / 10.0, 1));
		// A run killed after epoch 3's row but before its checkpoint resumes after epoch 2.
		final TrainingLog back = TrainingLog.read(file, 3);
		assertEquals(3, back.rows().size());
		assertEquals(0.2, back.rows().get(2).valDice(), 1e-12);
		back.add(new TrainingLog.Row(3, 9, 9, 0.9, 1));
		assertEquals(5, Files.readAllLines(file).size());
		assertTrue(Files.readAllLines(file).get(4).startsWith("3,9.000000"));
	}

	@Test
	void aMissingLogReadsAsEmpty() throws IOException {
		assertEquals(0, TrainingLog.read(tmp.resolve("none.csv"), 10).rows().size());
	}

	@Test
	void aDamagedRowIsNamedWithItsLine() throws IOException {
		final Path file = tmp.resolve("log.csv");
		Files.writeString(file, TrainingLog.HEADER + "\n0,1,2,0.5,3\n1,oops\n");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingLog.read(file, 5));
		assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 3") && e.getMessage().contains("1,oops"), e.getMessage());
	}
}
