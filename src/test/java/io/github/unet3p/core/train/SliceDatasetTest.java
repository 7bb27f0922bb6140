package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.testsupport.TinySlices;

/** Opening a prepared dataset: pairing by name, numeric order, and every refusal naming its file. */
class SliceDatasetTest {

	@TempDir
	Path tmp;

	private static SliceImage rgb(final int w, final int h, final int value) {
		final byte[] b = new byte[w * h * 3];
		java.util.Arrays.fill(b, (byte) value);
		return SliceImage.rgb(w, h, b);
	}

	private static SliceImage mask(final int w, final int h, final int label) {
		final byte[] b = new byte[w * h];
		java.util.Arrays.fill(b, (byte) label);
		return SliceImage.gray(w, h, b);
	}

	private void pair(final String id, final int value) throws IOException {
		TinySlices.writePair(tmp, id, rgb(4, 3, value), mask(4, 3, value % 2));
	}

	@Test
	void pairsAreSortedByCaseThenSliceNumerically() throws IOException {
		for (final String id : new String[] { "10_0", "2_10", "2_9", "9_5", "2_0" })
			pair(id, 1);
		final SliceDataset d = SliceDataset.open(tmp, 2, false);
		final List<String> ids = new ArrayList<>();
		for (int i = 0; i < d.size(); i++)
			ids.add(d.id(i));
		assertEquals(List.of("2_0", "2_9", "2_10", "9_5", "10_0"), ids);
		assertEquals(4, d.width());
		assertEquals(3, d.height());
	}

	@Test
	void loadReturnsTheImageAndItsOwnMask() throws IOException {
		pair("0_0", 10);
		pair("0_1", 21);
		final SliceDataset d = SliceDataset.open(tmp, 2, true);
		final SliceDataset.Sample s = d.load(1);
		assertEquals(21, s.rgb()[0]);
		assertEquals(4 * 3 * 3, s.rgb().length);
		assertArrayEquals(mask(4, 3, 1).samples(), s.labels());
		assertTrue(d.load(1) == s, "a cached dataset decodes a slice once");
	}

	@Test
	void orphansAreNamed() throws IOException {
		pair("0_0", 1);
		PngCodec.write(tmp.resolve("images/image_0_7.png"), rgb(4, 3, 1));
		InvalidInputException e = assertThrows(InvalidInputException.class, () -> SliceDataset.open(tmp, 2, false));
		assertTrue(e.getMessage().contains("image_0_7.png") && e.getMessage().contains("no mask"), e.getMessage());
		Files.delete(tmp.resolve("images/image_0_7.png"));
		PngCodec.write(tmp.resolve("mask/mask_3_1.png"), mask(4, 3, 0));
		e = assertThrows(InvalidInputException.class, () -> SliceDataset.open(tmp, 2, false));
		assertTrue(e.getMessage().contains("mask_3_1.png") && e.getMessage().contains("no image"), e.getMessage());
	}

	@Test
	void missingOrEmptyFoldersAreRefused() throws IOException {
		InvalidInputException e = assertThrows(InvalidInputException.class, () -> SliceDataset.open(tmp, 2, false));
		assertTrue(e.getMessage().contains("images/") && e.getMessage().contains(tmp.toString()), e.getMessage());
		Files.createDirectories(tmp.resolve("images"));
		Files.createDirectories(tmp.resolve("mask"));
		e = assertThrows(InvalidInputException.class, () -> SliceDataset.open(tmp, 2, false));
		assertTrue(e.getMessage().contains("no image_*.png"), e.getMessage());
	}

	@Test
	void grayscaleImageIsRefused() throws IOException {
		TinySlices.writePair(tmp, "0_0", mask(4, 3, 0), mask(4, 3, 0));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> SliceDataset.open(tmp, 2, false));
		assertTrue(e.getMessage().contains("image_0_0.png") && e.getMessage().contains("RGB"), e.getMessage());
	}

	@Test
	void mixedSizesAreRefusedNamingTheOddFile() throws IOException {
		pair("0_0", 1);
		TinySlices.writePair(tmp, "0_1", rgb(5, 3, 1), mask(5, 3, 0));
		final SliceDataset d = SliceDataset.open(tmp, 2, false);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> d.load(1));
		assertTrue(e.getMessage().contains("image_0_1.png") && e.getMessage().contains("5×3") && e.getMessage().contains("4×3"), e.getMessage());
		TinySlices.writePair(tmp, "0_1", rgb(4, 3, 1), mask(4, 4, 0));
		final InvalidInputException m = assertThrows(InvalidInputException.class, () -> SliceDataset.open(tmp, 2, false).load(1));
		assertTrue(m.getMessage().contains("mask_0_1.png"), m.getMessage());
	}

	@Test
	void labelsAboveTheClassCountAreRefused() throws IOException {
		TinySlices.writePair(tmp, "0_0", rgb(4, 3, 1), mask(4, 3, 2));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> SliceDataset.open(tmp, 2, false));
		assertTrue(e.getMessage().contains("mask_0_0.png") && e.getMessage().contains("label 2") && e.getMessage().contains("0..1"), e.getMessage());
		assertEquals(1, SliceDataset.open(tmp, 3, false).size(), "three classes accept label 2");
		TinySlices.writePair(tmp, "0_0", rgb(4, 3, 1), mask(4, 3, 1));
		assertEquals(1, SliceDataset.open(tmp, 1, false).size(), "one sigmoid class means labels 0/1");
	}
}
