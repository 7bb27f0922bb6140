package io.github.unet3p.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.ImagePlusVolumes;
import io.github.unet3p.testsupport.Launch;

/**
 * The example macros in {@code macros/}, run headless through the launcher exactly as a user
 * types them ({@code ./unet3p --headless -macro macros/x.ijm 'key=value ...'}), on a tiny
 * synthetic LiTS dataset (32×32, 4 slices, a 2-filter network, one epoch).
 */
class MacroTest {

	@TempDir
	static Path tmp;

	static Path data, out;
	static Launch.Outcome pipeline;

	@BeforeAll
	static void syntheticDataThenThePipeline() {
		data = tmp.resolve("lits");
		out = tmp.resolve("demo");
		final String[][] splits = { { "train", "2", "11" }, { "validation", "1", "12" }, { "test", "2", "13" } };
		for (final String[] s : splits) {
			final Launch.Outcome o = Launch.launch("--run", "UNet3+ Synthetic CT", "output='" + data.resolve(s[0]) + "',count=" + s[1] + ",size=32,slices=4,seed=" + s[2]);
			assertEquals(0, o.status(), o.text());
		}
		pipeline = Launch.launch("-macro", "macros/lits_pipeline.ijm", "data=" + data + " out=" + out + " size=32 filters=2 epochs=1 batch=4 bn_recalibrate=2");
	}

	@Test
	void pipelinePreparesTrainsSegmentsAndEvaluates() throws IOException {
		assertEquals(0, pipeline.status(), pipeline.text());
		assertTrue(Files.isRegularFile(out.resolve("model/unet3p.json")), pipeline.text());
		assertTrue(Files.isRegularFile(out.resolve("model/training/curve.png")), "the training curve is saved headless");
		for (final String n : List.of("0", "1")) {
			final Volume labels = NiftiReader.read(out.resolve("labels/segmentation-" + n + ".nii.gz")).volume();
			final Volume ct = NiftiReader.read(data.resolve("test/volume-" + n + ".nii.gz")).volume();
			assertEquals(List.of(ct.size(0), ct.size(1), ct.size(2)), List.of(labels.size(0), labels.size(1), labels.size(2)), "labels in the CT's grid");
		}
		final List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
		assertTrue(csv.get(0).startsWith("case,dice,voe,rvd"), csv.get(0));
		assertEquals(2, csv.stream().filter(l -> l.matches("^[^,]*\\b[01]\\b.*")).count(), "one row per test case: " + csv);
		assertTrue(Files.isRegularFile(out.resolve("metrics-seed_dice.csv")), "the seed Dice beside the LiTS metrics");
		assertTrue(pipeline.text().contains("4/4 Evaluate"), pipeline.text());
	}

	@Test
	void segmentFolderWritesOneLabelVolumePerCase() throws IOException {
		assertEquals(0, pipeline.status(), pipeline.text());
		final Path labels = tmp.resolve("folder-labels");
		final Launch.Outcome o = Launch.launch("-macro", "macros/segment_folder.ijm",
				"model=" + out.resolve("model") + " input=" + data.resolve("test") + " output=" + labels + " largest_component=true fill_holes=true");
		assertEquals(0, o.status(), o.text());
		assertTrue(Files.isRegularFile(labels.resolve("segmentation-0.nii.gz")), o.text());
		assertTrue(Files.isRegularFile(labels.resolve("segmentation-1.nii.gz")), o.text());
		assertTrue(o.text().contains("Segmented "), o.text());
	}

	@Test
	void segmentOpenImageReportsTheLiverVolumeOfTheOpenedImage() throws IOException {
		assertEquals(0, pipeline.status(), pipeline.text());
		final ImagePlus ct = ImagePlusVolumes.toFloatImage(NiftiReader.read(data.resolve("test/volume-0.nii.gz")).volume(), "ct");
		final Path tif = tmp.resolve("ct.tif");
		assertTrue(new FileSaver(ct).saveAsTiffStack(tif.toString()));
		final Launch.Outcome o = Launch.launch("-macro", "macros/segment_open_image.ijm", "model=[" + out.resolve("model") + "] image=[" + tif + "]");
		assertEquals(0, o.status(), o.text());
		assertTrue(o.text().matches("(?s).*ct\\.tif: \\d+ liver voxels = [0-9.]+ ml \\(labels: ct-labels\\).*"), o.text());
	}

	@Test
	void aMissingArgumentStopsThePipelineWithItsUsage() {
		final Launch.Outcome o = Launch.launch("-macro", "macros/lits_pipeline.ijm", "out=" + tmp.resolve("nothing"));
		// exit("...") ends a macro normally, as in Fiji: the message is shown and nothing runs.
		assertEquals(0, o.status(), o.text());
		assertTrue(o.text().contains("needs data=<LiTS folder> and out=<output folder>"), o.text());
		assertFalse(Files.exists(tmp.resolve("nothing")), "no step may run");
	}
}
