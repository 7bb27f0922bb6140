package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.process.ColorProcessor;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.ImagePlusVolumes;
import io.github.unet3p.fiji.launcher.CommandRunner;

/**
 * {@code UNet3+ Prepare Open Image} headless: the RGB stack it registers is, slice for slice, the
 * {@code image_N_k.png} that {@code UNet3+ Preprocess} writes for the same scan, in the input's
 * orientation and with the resized pixel size.
 */
class PrepareImageCommandTest {

	@TempDir
	Path tmp;

	static Context context;

	@BeforeAll
	static void start() {
		System.setProperty("java.awt.headless", "true");
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@AfterEach
	void closeImages() {
		for (final int id : Interpreter.getBatchModeImageIDs())
			Interpreter.removeBatchModeImage(WindowManager.getImage(id));
		WindowManager.setTempCurrentImage(null);
		Interpreter.batchMode = false;
	}

	private static void open(final ImagePlus imp) {
		Interpreter.batchMode = true;
		Interpreter.addBatchModeImage(imp);
		WindowManager.setTempCurrentImage(imp);
	}

	private static PrepareImageCommand run(final String... keyValues) throws InterruptedException {
		final Map<String, String> options = new HashMap<>();
		for (int i = 0; i < keyValues.length; i += 2)
			options.put(keyValues[i], keyValues[i + 1]);
		return (PrepareImageCommand) new CommandRunner(context).run("UNet3+ Prepare Open Image", options).getDelegateObject();
	}

	/** A synthetic CT, 48 columns × 40 rows (non-square: a transposition would show), as ImageJ shows it. */
	private static ImagePlus syntheticCt(final String title) {
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(1).setSeed(7).optSize(48).optSlices(5).optSpacing(3, 5).build();
		final Volume ct = RandSyntheticCt.generate(s, 0).ct();
		final int w = 48, h = 40, full = ct.size(1);
		final ImageStack stack = new ImageStack(w, h);
		final double[] plane = new double[ct.size(0) * full];
		for (int k = 0; k < ct.size(2); k++) {
			ct.axialSlice(k, plane);
			final float[] px = new float[w * h];
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					px[y * w + x] = (float) plane[(full - 1 - (y + 4)) * w + x];
			stack.addSlice(null, px);
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.getCalibration().pixelWidth = 3;
		imp.getCalibration().pixelHeight = 3;
		imp.getCalibration().pixelDepth = 5;
		imp.getCalibration().setUnit("mm");
		return imp;
	}

	@Test
	void theStackIsWhatPreprocessWritesForTheSameScan() throws Exception {
		final ImagePlus imp = syntheticCt("ct");
		open(imp);
		final PrepareImageCommand cmd = run("size", "32", "hu_min", "-150", "hu_max", "200");
		final ImagePlus prepared = cmd.preparedImage();
		assertEquals("ct-prepared", prepared.getTitle());
		assertSame(prepared, WindowManager.getImage("ct-prepared"), "registered as a batch-mode image");
		assertEquals(ImagePlus.COLOR_RGB, prepared.getType());
		assertEquals(32, prepared.getWidth());
		assertEquals(32, prepared.getHeight());
		assertEquals(5, prepared.getStackSize());
		assertEquals(3.0 * 48 / 32, prepared.getCalibration().pixelWidth, 1e-12);
		assertEquals(3.0 * 40 / 32, prepared.getCalibration().pixelHeight, 1e-12);
		assertEquals(5.0, prepared.getCalibration().pixelDepth);

		final Path lits = tmp.resolve("lits");
		java.nio.file.Files.createDirectories(lits);
		NiftiWriter.write(lits.resolve("volume-3.nii.gz"), ImagePlusVolumes.toVolume(imp));
		final Map<String, String> options = Map.of("input", lits.toString(), "output", tmp.resolve("prep").toString(), "size", "32", "hu_min", "-150",
				"hu_max", "200");
		new CommandRunner(context).run("UNet3+ Preprocess", options);
		for (int k = 0; k < 5; k++) {
			final SliceImage png = PngCodec.read(tmp.resolve("prep/images/image_3_" + k + ".png"));
			final ColorProcessor slice = (ColorProcessor) prepared.getStack().getProcessor(k + 1);
			for (int y = 0; y < 32; y++)
				for (int x = 0; x < 32; x++) {
					final int rgb = slice.get(x, y);
					final int expected = png.get(x, y, 0) << 16 | png.get(x, y, 1) << 8 | png.get(x, y, 2);
					if (rgb != expected) throw new AssertionError("slice " + k + " pixel (" + x + "," + y + "): " + Integer.toHexString(rgb) + " != "
							+ Integer.toHexString(expected));
				}
		}
	}

	@Test
	void anatomyKeepsItsPlaceOnScreen() throws Exception {
		// A bright block in the top-left corner of a 40×30 image must stay in the top-left.
		final ImageStack stack = new ImageStack(40, 30);
		for (int k = 0; k < 2; k++) {
			final float[] px = new float[40 * 30];
			java.util.Arrays.fill(px, -500);
			for (int y = 0; y < 10; y++)
				for (int x = 0; x < 10; x++)
					px[y * 40 + x] = 300;
			stack.addSlice(null, px);
		}
		open(new ImagePlus("block", stack));
		final ImagePlus prepared = run("input", "block", "size", "16").preparedImage();
		final ColorProcessor slice = (ColorProcessor) prepared.getStack().getProcessor(1);
		assertEquals(255, slice.get(0, 0) >> 8 & 0xff, "top-left stays bright");
		assertEquals(0, slice.get(15, 15) >> 8 & 0xff, "bottom-right stays dark");
		assertEquals(0, slice.get(15, 0) >> 8 & 0xff, "top-right stays dark");
	}

	@Test
	void anUnknownTitleIsNamedWithTheOpenImagesAndRgbIsRefused() {
		open(syntheticCt("ct"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> run("input", "nope"));
		assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("ct"), e.getMessage());
		open(new ImagePlus("colour", new ColorProcessor(20, 20)));
		final InvalidInputException rgb = assertThrows(InvalidInputException.class, () -> run("input", "colour"));
		assertTrue(rgb.getMessage().contains("'colour'") && rgb.getMessage().contains("RGB"), rgb.getMessage());
	}
}
