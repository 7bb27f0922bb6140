package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.Roi;
import ij.macro.Interpreter;
import ij.process.ImageProcessor;
import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.nifti.NiftiWriter;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.launcher.CommandRunner;
import io.github.unet3p.testsupport.Launch;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;

/**
 * {@code UNet3+ Segment} headless on an open image (batch mode, as a headless macro runs it): the
 * label image is registered with the input's calibration, agrees voxel for voxel with
 * {@code UNet3+ Segment Files} on the same scan, and the liver is outlined on the input.
 */
class SegmentCommandTest {

	@TempDir
	static Path shared;
	static Path model;
	static Context context;

	@TempDir
	Path tmp;

	private Volume ct;
	private ImagePlus imp;

	@BeforeAll
	static void setUp() throws IOException {
		System.setProperty("java.awt.headless", "true");
		model = TinyBundles.write(shared.resolve("model"), 2, 32, 1);
		context = new Context();
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	@BeforeEach
	void openImage() {
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(1).setSeed(5).optSize(48).optSlices(4).optSpacing(3, 5).build();
		ct = RandSyntheticCt.generate(s, 0).ct();
		final int w = ct.size(0), h = ct.size(1);
		final ImageStack stack = new ImageStack(w, h);
		final double[] plane = new double[w * h];
		for (int k = 0; k < ct.size(2); k++) {
			ct.axialSlice(k, plane);
			final float[] px = new float[w * h];
			for (int j = 0; j < h; j++)
				for (int i = 0; i < w; i++)
					px[(h - 1 - j) * w + i] = (float) plane[j * w + i];
			stack.addSlice(null, px);
		}
		imp = new ImagePlus("ct.nii.gz", stack);
		imp.getCalibration().pixelWidth = 3;
		imp.getCalibration().pixelHeight = 3;
		imp.getCalibration().pixelDepth = 5;
		imp.getCalibration().setUnit("mm");
		Interpreter.batchMode = true;
		Interpreter.addBatchModeImage(imp);
		WindowManager.setTempCurrentImage(imp);
	}

	@AfterEach
	void closeImages() {
		for (final int id : Interpreter.getBatchModeImageIDs())
			Interpreter.removeBatchModeImage(WindowManager.getImage(id));
		WindowManager.setTempCurrentImage(null);
		Interpreter.batchMode = false;
	}

	private SegmentCommand run(final String... keyValues) throws InterruptedException {
		final Map<String, String> options = new HashMap<>();
		options.put("model", model.toString());
		for (int i = 0; i < keyValues.length; i += 2)
			options.put(keyValues[i], keyValues[i + 1]);
		return (SegmentCommand) new CommandRunner(context).run("UNet3+ Segment", options).getDelegateObject();
	}

	@Test
	void labelsAgreeWithSegmentFilesAndAreRegistered() throws Exception {
		final SegmentCommand cmd = run("input", "ct.nii.gz", "batch", "3");
		final ImagePlus labels = cmd.labelImage();
		assertNotNull(labels);
		assertEquals("ct-labels", labels.getTitle());
		assertSame(labels, WindowManager.getImage("ct-labels"), "registered as a batch-mode image");
		assertEquals(3.0, labels.getCalibration().pixelWidth);
		assertEquals(5.0, labels.getCalibration().pixelDepth);
		assertEquals("mm", labels.getCalibration().getUnit());

		final Path nifti = tmp.resolve("ct.nii.gz"), out = tmp.resolve("labels.nii.gz");
		NiftiWriter.write(nifti, ct);
		assertEquals(0, Launch.run("UNet3+ Segment Files", "model='" + model + "',input='" + nifti + "',output='" + out + "',batch=3").status());
		final RandomAccess<? extends RealType<?>> file = NiftiReader.read(out).volume().raw().randomAccess();
		final int w = ct.size(0), h = ct.size(1);
		long foreground = 0;
		for (int k = 0; k < ct.size(2); k++) {
			final ImageProcessor ip = labels.getStack().getProcessor(k + 1);
			for (int j = 0; j < h; j++)
				for (int i = 0; i < w; i++) {
					file.setPosition(new int[] { i, j, k });
					assertEquals((int) file.get().getRealDouble(), ip.get(i, h - 1 - j), "voxel " + i + "," + j + "," + k);
					if (ip.get(i, h - 1 - j) != 0) foreground++;
				}
		}
		assertTrue(foreground > 0, "the untrained model labels something (else this test could not see a flipped image)");
	}

	@Test
	void theActiveImageIsOutlinedAndOutlinesAreReplacedNotStacked() throws Exception {
		final ImagePlus labels = run("probabilities", "true").labelImage();
		final int outlines = countOutlines();
		int slicesWithLiver = 0;
		for (int z = 1; z <= labels.getStackSize(); z++) {
			final ImageProcessor ip = labels.getStack().getProcessor(z);
			int n = 0;
			for (int p = 0; p < ip.getPixelCount(); p++)
				if (ip.get(p) != 0) n++;
			if (n == 0) continue;
			slicesWithLiver++;
			final Roi roi = findOutline(z);
			assertNotNull(roi, "slice " + z + " has an outline");
			assertEquals(n, roi.getContainedPoints().length, "the outline of slice " + z + " encloses exactly its liver pixels");
		}
		assertTrue(slicesWithLiver > 0);
		assertEquals(slicesWithLiver, outlines);
		run("input", "ct.nii.gz", "probabilities", "false");
		assertEquals(outlines, countOutlines(), "a second run replaces the outlines");
		assertTrue(findOutline(1) != null || slicesWithLiver < labels.getStackSize());
		assertNotNull(WindowManager.getImage("ct-prob-1"), "probability images are registered");
	}

	@Test
	void aBioImageIoPackageOfTheBundleGivesTheSameLabels() throws Exception {
		final Path pkg = tmp.resolve("liver.zip");
		io.github.unet3p.core.bioimageio.BioImageIoExport.write(model, pkg, java.util.List.of("Ada Lovelace"));
		final ImagePlus fromBundle = run("input", "ct.nii.gz").labelImage();
		final ImagePlus fromPackage = run("input", "ct.nii.gz", "model", pkg.toString()).labelImage();
		assertEquals(fromBundle.getStackSize(), fromPackage.getStackSize());
		for (int z = 1; z <= fromBundle.getStackSize(); z++)
			assertArrayEquals((byte[]) fromBundle.getStack().getPixels(z), (byte[]) fromPackage.getStack().getPixels(z), "slice " + z);
	}

	/**
	 * Two runs on the active image with the same bundle and keys give the same label image byte for
	 * byte, and both outline the active image, for each engine and batch size.
	 */
	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.CsvSource({ "'',1", "'',3", "pytorch,2", "onnxruntime,1", "onnxruntime,4" })
	void twoRunsOnTheActiveImageGiveTheSameLabelsAndOutlineIt(final String engine, final int batch) throws Exception {
		final String[] keys = engine.isEmpty() ? new String[] { "batch", "" + batch } : new String[] { "engine", engine, "batch", "" + batch };
		final ImagePlus first = run(keys).labelImage();
		assertEquals("ct-labels", first.getTitle(), "the first run segments the active image");
		final int outlines = countOutlines();
		assertTrue(outlines > 0);
		Interpreter.activateImage(imp); // a macro's selectImage in batch mode
		final ImagePlus second = run(keys).labelImage();
		assertEquals("ct-labels", second.getTitle(), "the second run segments the active image, not the first run's labels");
		assertEquals(outlines, countOutlines(), "the second run outlines the active image again");
		for (int z = 1; z <= first.getStackSize(); z++)
			assertArrayEquals((byte[]) first.getStack().getPixels(z), (byte[]) second.getStack().getPixels(z), "slice " + z);
	}

	/** A run naming its input, then one on the active image: the second outlines the active image. */
	@Test
	void aRunOnTheActiveImageAfterOneNamingItsInputOutlinesTheActiveImage() throws Exception {
		run("input", "ct.nii.gz", "outline", "false");
		assertTrue(imp.getOverlay() == null || countOutlines() == 0, "outline=false leaves the input alone");
		Interpreter.activateImage(imp); // a macro's selectImage in batch mode
		final ImagePlus labels = run().labelImage();
		assertEquals("ct-labels", labels.getTitle(), "the active image was segmented");
		assertNotNull(imp.getOverlay(), "the active image is outlined");
		assertTrue(countOutlines() > 0, "the active image is outlined");
	}

	@Test
	void anUnknownTitleIsNamedWithTheOpenImages() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> run("input", "nope"));
		assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("ct.nii.gz"), e.getMessage());
	}

	private int countOutlines() {
		int n = 0;
		for (final Roi r : imp.getOverlay().toArray())
			if (r.getName().startsWith(SegmentCommand.OUTLINE_NAME)) n++;
		return n;
	}

	private Roi findOutline(final int z) {
		for (final Roi r : imp.getOverlay().toArray())
			if ((SegmentCommand.OUTLINE_NAME + " " + z).equals(r.getName()) && r.getPosition() == z) return r;
		return null;
	}
}
