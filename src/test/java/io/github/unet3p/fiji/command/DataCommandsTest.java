package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.testsupport.Launch;

/**
 * The data commands run as a user runs them, through the launcher with Fiji's syntax: synthetic
 * data, preparation, evaluation and overlays.
 */
class DataCommandsTest {

	@TempDir
	Path tmp;

	/** The last run's outcome. */
	private Launch.Outcome last;

	private int run(final String command, final String options) {
		last = Launch.run(command, options);
		return last.status();
	}

	private String err() {
		return last.err();
	}

	private Path synthetic() {
		final Path data = tmp.resolve("lits");
		assertEquals(0, run("UNet3+ Synthetic CT", "output='" + data + "',count=2,size=48,slices=6,seed=3"), err());
		return data;
	}

	@Test
	void preprocessWritesTheSeedLayoutAndItsRecord() throws Exception {
		final Path data = synthetic();
		final Path out = tmp.resolve("prep");
		assertEquals(0, run("UNet3+ Preprocess", "input='" + data + "',output='" + out + "',size=32"), err());
		try (Stream<Path> images = Files.list(out.resolve("images")); Stream<Path> masks = Files.list(out.resolve("mask"))) {
			final List<Path> i = images.toList(), m = masks.toList();
			assertEquals(12, i.size());
			assertEquals(12, m.size());
		}
		final SliceImage image = PngCodec.read(out.resolve("images/image_1_5.png"));
		assertEquals(32, image.width());
		assertEquals(3, image.channels());
		assertTrue(Files.readString(out.resolve("unet3p-preprocess.json")).contains("\"size\": 32"));
	}

	@Test
	void preprocessRefusesAnInvertedWindowNamingTheKey() {
		final Path data = synthetic();
		assertEquals(1, run("UNet3+ Preprocess", "input='" + data + "',output='" + tmp.resolve("p") + "',hu_min=300,hu_max=250"));
		assertTrue(err().contains("hu_min"), err());
		assertFalse(Files.exists(tmp.resolve("p/images")), "nothing is written for bad settings");
	}

	@Test
	void evaluateOfTruthAgainstItselfIsPerfect() throws Exception {
		final Path data = synthetic();
		final Path csv = tmp.resolve("m.csv");
		assertEquals(0, run("UNet3+ Evaluate", "prediction='" + data.resolve("segmentation-0.nii.gz") + "',truth='" + data.resolve("segmentation-0.nii.gz")
				+ "',output='" + csv + "'"), err());
		final List<String> lines = Files.readAllLines(csv);
		assertTrue(lines.get(0).startsWith("case,dice,voe,rvd,assd_mm,mssd_mm"), lines.get(0));
		assertTrue(lines.get(1).startsWith("segmentation-0,1.000000,0.000000,0.000000,0.0000,0.0000"), lines.get(1));
		assertTrue(lines.get(2).startsWith("global,1.000000"), lines.get(2));
	}

	@Test
	void evaluateNamesAMissingTruthFile() {
		final Path data = synthetic();
		assertEquals(1, run("UNet3+ Evaluate", "prediction='" + data.resolve("segmentation-0.nii.gz") + "',truth='" + tmp.resolve("none.nii") + "',output='"
				+ tmp.resolve("m.csv") + "'"));
		assertTrue(err().contains("none.nii") && err().contains("does not exist"), err());
		assertFalse(Files.exists(tmp.resolve("m.csv")));
	}

	@Test
	void overlayDrawsPredictionAndTruthOutlines() throws Exception {
		final Path data = synthetic();
		final Path out = tmp.resolve("overlay");
		assertEquals(0, run("UNet3+ Overlay", "ct='" + data.resolve("volume-1.nii.gz") + "',prediction='" + data.resolve("segmentation-0.nii.gz") + "',truth='"
				+ data.resolve("segmentation-1.nii.gz") + "',output='" + out + "',slices=2,zoom=1"), err());
		try (Stream<Path> files = Files.list(out)) {
			final List<Path> pngs = files.toList();
			assertEquals(2, pngs.size());
			final SliceImage png = PngCodec.read(pngs.get(0));
			assertEquals(48, png.width());
			boolean red = false, green = false;
			for (int y = 0; y < png.height(); y++)
				for (int x = 0; x < png.width(); x++) {
					red |= png.get(x, y, 0) == 255 && png.get(x, y, 1) == 0;
					green |= png.get(x, y, 0) == 0 && png.get(x, y, 1) == 255;
				}
			assertTrue(red && green, "both outlines are drawn");
		}
	}
}
