package io.github.unet3p.fiji.command;

import java.awt.Color;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ImageProcessor;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.SegmentationResult;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.ImagePlusVolumes;

/**
 * {@code UNet3+ Segment}: segments an open CT stack with a trained model bundle and shows the
 * label image ({@code <title>-labels}: 8-bit, 0 = background, 1 = liver, label LUT, the input's
 * spatial calibration), optionally one 32-bit probability image per class
 * ({@code <title>-prob-<class>}), and outlines the liver on the input image.
 *
 * <p>{@code input} is an image title; empty means the active image. (SciJava's own
 * {@code ImagePlus} parameters need imagej-legacy, which this plugin does not depend on, so the
 * image is looked up by title through ImageJ's {@link WindowManager}.) Voxel values must be HU:
 * a 16-bit stack with ImageJ's straight-line calibration (as the DICOM and NIfTI readers set it)
 * is converted through that calibration.
 *
 * <p>Outline: the input image's overlay gets, per slice with foreground, one ROI named
 * {@value #OUTLINE_NAME} {@code <slice>} tracing the label boundary (ImageJ's "Create Selection" of
 * the label mask), in red; outlines from an earlier run are replaced, other overlay elements kept.
 *
 * <p>Display: with a screen, the images are shown in windows. In batch mode (a macro with
 * {@code setBatchMode(true)}, or headless) no window opens; the images are registered as batch-mode
 * images, so a macro can {@code selectImage("<title>-labels")} and save them.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Segment", headless = true)
public class SegmentCommand extends UNet3pCommand {

	/** Name prefix of the outline ROIs added to the input image's overlay. */
	public static final String OUTLINE_NAME = "UNet3+ liver";

	@Parameter(label = "Model (bundle folder or .zip)", style = "both", description = "a folder written by UNet3+ Train (unet3p.json + weights.params), or a .zip of it")
	File model;

	@Parameter(label = "Image title (empty = the active image)", required = false, description = "an open CT stack in HU", persist = false)
	String input = "";

	@Parameter(label = "Batch size (slices per model call)", min = "1", required = false)
	int batch = InferenceSettings.DEFAULT_BATCH;

	@Parameter(label = "Keep the largest connected component", required = false)
	boolean largest_component;

	@Parameter(label = "Fill holes", required = false)
	boolean fill_holes;

	@Parameter(label = "Test-time flip (average with the mirrored slice)", required = false)
	boolean tta_flip;

	@Parameter(label = "Also show probability maps", required = false)
	boolean probabilities;

	@Parameter(label = InferenceOptions.PRECISION_LABEL, choices = { InferenceKeys.PRECISION_FP32, InferenceKeys.PRECISION_FP32_FOLDED, InferenceKeys.PRECISION_FP16 }, required = false,
			description = InferenceOptions.PRECISION_DESCRIPTION)
	String precision = Precision.DEFAULT.key();

	@Parameter(label = InferenceOptions.ENGINE_LABEL, choices = { InferenceKeys.ENGINE_AUTO, InferenceKeys.ENGINE_PYTORCH, InferenceKeys.ENGINE_ONNXRUNTIME }, required = false,
			description = InferenceOptions.ENGINE_DESCRIPTION)
	String engine = InferenceKeys.ENGINE_DEFAULT;

	@Parameter(label = "Outline the liver on the input image", required = false)
	boolean outline = InferenceOptions.DEFAULT_OUTLINE;

	private ImagePlus labelImage;
	private final List<ImagePlus> probabilityImages = new ArrayList<>();

	/** The label image of the last successful run, or {@code null}. */
	public ImagePlus labelImage() {
		return labelImage;
	}

	/** The probability images of the last successful run (empty unless {@code probabilities}). */
	public List<ImagePlus> probabilityImages() {
		return List.copyOf(probabilityImages);
	}

	@Override
	protected void execute() throws Exception {
		labelImage = null;
		probabilityImages.clear();
		final InferenceSettings settings = InferenceOptions.settings(batch, largest_component, fill_holes, tta_flip, probabilities, precision, engine);
		final ImagePlus imp = OpenImages.find(input);
		final Volume ct = ImagePlusVolumes.toVolume(imp);
		final long t0 = System.nanoTime();
		final SegmentationResult result;
		try (BundleModel net = InferenceOptions.open(model, settings, progress()::message)) {
			result = VolumeSegmenter.segment(ct, net.preparation(), net, settings, SegmentFilesCommand.renamed(progress(), "Segmenting " + imp.getTitle()),
					cancellation());
		}
		final double seconds = (System.nanoTime() - t0) / 1e9;
		final String base = baseTitle(imp.getTitle());
		final ImagePlus labels = ImagePlusVolumes.toLabelImage(result.labels(), base + "-labels");
		labels.setCalibration(spatial(imp.getCalibration()));
		final List<ImagePlus> maps = new ArrayList<>();
		final int classes = result.probabilities().size();
		for (int c = 0; c < classes; c++) {
			final ImagePlus p = ImagePlusVolumes.toFloatImage(result.probabilities().get(c), base + "-prob-" + (classes == 1 ? 1 : c));
			p.setCalibration(spatial(imp.getCalibration()));
			maps.add(p);
		}
		if (outline) outline(imp, labels);
		for (final ImagePlus p : maps)
			OpenImages.publish(p, ui);
		OpenImages.publish(labels, ui);
		labelImage = labels;
		probabilityImages.addAll(maps);
		final String unit = imp.getCalibration().getUnit();
		final String size = "mm".equals(unit) ? String.format(Locale.ROOT, "%.1f ml foreground (%d voxels)", result.foregroundMl(), result.foregroundVoxels())
				: String.format(Locale.ROOT, "%d foreground voxels (spacing unit '%s', not mm: no volume in ml)", result.foregroundVoxels(), unit);
		progress().message(String.format(Locale.ROOT, "%s -> %s: %s, %d slices in %.1f s", imp.getTitle(), labels.getTitle(), size, ct.size(2), seconds));
	}

	/** The title without a file extension ({@code ct.nii.gz} → {@code ct}). */
	static String baseTitle(final String title) {
		final String lower = title.toLowerCase(Locale.ROOT);
		for (final String ext : new String[] { ".nii.gz", ".nii", ".tiff", ".tif", ".dcm" })
			if (lower.endsWith(ext) && lower.length() > ext.length()) return title.substring(0, title.length() - ext.length());
		return title;
	}

	/** The spatial part of {@code cal} (pixel sizes, unit, origin); no value calibration. */
	private static Calibration spatial(final Calibration cal) {
		final Calibration c = cal.copy();
		c.disableDensityCalibration();
		c.setValueUnit("");
		return c;
	}

	/** Replaces earlier outlines on {@code imp}'s overlay by the boundaries of {@code labels}' foreground, slice by slice. */
	static void outline(final ImagePlus imp, final ImagePlus labels) {
		final Overlay overlay = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
		for (final Roi old : overlay.toArray())
			if (old.getName() != null && old.getName().startsWith(OUTLINE_NAME)) overlay.remove(old);
		final ImageStack stack = labels.getStack();
		final ThresholdToSelection tracer = new ThresholdToSelection();
		for (int z = 1; z <= stack.getSize(); z++) {
			final ImageProcessor mask = stack.getProcessor(z).duplicate();
			mask.setThreshold(1, 255, ImageProcessor.NO_LUT_UPDATE);
			final Roi roi = tracer.convert(mask);
			if (roi == null) continue;
			roi.setName(OUTLINE_NAME + " " + z);
			roi.setStrokeColor(Color.RED);
			roi.setPosition(z);
			overlay.add(roi);
		}
		imp.setOverlay(overlay);
	}

}
