package io.github.unet3p.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.util.InvalidInputException;

class CasePairingTest {

	@TempDir
	Path tmp;

	private Path touch(final String dir, final String name) throws Exception {
		final Path d = Files.createDirectories(tmp.resolve(dir));
		return Files.writeString(d.resolve(name), "x");
	}

	@Test
	void foldersPairByCaseNumberInNumericOrder() throws Exception {
		touch("pred", "volume-10.nii.gz");
		touch("pred", "volume-9.nii.gz");
		touch("truth", "segmentation-9.nii");
		touch("truth", "segmentation-10.nii.gz");
		touch("truth", "segmentation-11.nii.gz");
		touch("truth", "notes.txt");
		final List<CasePairing.Pair> pairs = CasePairing.pair(tmp.resolve("pred"), tmp.resolve("truth"));
		assertEquals(2, pairs.size());
		assertEquals("volume-9", pairs.get(0).name());
		assertEquals("segmentation-9.nii", pairs.get(0).truth().getFileName().toString());
		assertEquals("segmentation-10.nii.gz", pairs.get(1).truth().getFileName().toString());
	}

	@Test
	void aLitsFolderServesAsTruthItsCtFilesPassedOver() throws Exception {
		touch("pred", "segmentation-6.nii.gz");
		touch("lits", "volume-6.nii.gz");
		final Path seg = touch("lits", "segmentation-6.nii.gz");
		assertEquals(seg, CasePairing.pair(tmp.resolve("pred"), tmp.resolve("lits")).get(0).truth());
	}

	@Test
	void aSegmentFilesOutputFolderServesAsPredictionItsProbabilityMapsPassedOver() throws Exception {
		final Path labels = touch("pred", "segmentation-0.nii.gz");
		touch("pred", "segmentation-0-prob-0.nii.gz");
		touch("pred", "segmentation-0-prob-1.nii.gz");
		touch("truth", "segmentation-0.nii.gz");
		touch("truth", "segmentation-1.nii.gz");
		final List<CasePairing.Pair> pairs = CasePairing.pair(tmp.resolve("pred"), tmp.resolve("truth"));
		assertEquals(1, pairs.size());
		assertEquals(labels, pairs.get(0).prediction());
	}

	@Test
	void twoFilesPairAsGiven() throws Exception {
		final Path p = touch("a", "mine.nii.gz"), t = touch("b", "theirs.nii");
		assertEquals(List.of(new CasePairing.Pair("mine", p, t)), CasePairing.pair(p, t));
	}

	@Test
	void orphansFileVersusFolderAndEmptyFoldersAreNamed() throws Exception {
		touch("pred", "volume-3.nii.gz");
		touch("truth", "segmentation-4.nii.gz");
		Files.createDirectories(tmp.resolve("empty"));
		InvalidInputException e = assertThrows(InvalidInputException.class, () -> CasePairing.pair(tmp.resolve("pred"), tmp.resolve("truth")));
		assertTrue(e.getMessage().contains("volume-3.nii.gz"), e.getMessage());
		e = assertThrows(InvalidInputException.class, () -> CasePairing.pair(tmp.resolve("pred/volume-3.nii.gz"), tmp.resolve("truth")));
		assertTrue(e.getMessage().contains("two files or two folders"), e.getMessage());
		e = assertThrows(InvalidInputException.class, () -> CasePairing.pair(tmp.resolve("empty"), tmp.resolve("truth")));
		assertTrue(e.getMessage().contains("no .nii"), e.getMessage());
		e = assertThrows(InvalidInputException.class, () -> CasePairing.pair(tmp.resolve("missing"), tmp.resolve("truth")));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
	}
}
