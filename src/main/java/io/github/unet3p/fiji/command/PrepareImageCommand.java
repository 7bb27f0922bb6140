package io.github.unet3p.fiji.command;

import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.preprocess.WindowedStack;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.ImagePlusVolumes;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * {@code UNet3+ Prepare Open Image}: shows what the network sees for an open CT stack: the seed's
 * preparation (rotation, resize to {@code size}, HU window, per-slice 0…255) as an RGB stack
 * {@code <title>-prepared} of {@code size × size × K} whose slice k has R = prepared slice k−1,
 * G = k, B = k+1, exactly the {@code images/image_N_k.png} that {@code UNet3+ Preprocess} writes.
 *
 * <p>{@code input} is an image title; empty means the active image. The result is shown, or, in
 * batch mode and headless, registered as the current image without a window, so a macro can
 * {@code selectImage("<title>-prepared")} and save it.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Prepare Open Image", headless = true)
public class PrepareImageCommand extends UNet3pCommand {

	@Parameter(label = "Image title (empty = the active image)", required = false, description = "an open CT stack in HU", persist = false)
	String input = "";

	@Parameter(label = "HU window minimum", required = false)
	double hu_min = PreprocessSettings.DEFAULT_HU_MIN;

	@Parameter(label = "HU window maximum", required = false)
	double hu_max = PreprocessSettings.DEFAULT_HU_MAX;

	@Parameter(label = "Slice size (pixels)", min = "16", required = false, description = "320 is the recipe's")
	int size = PreprocessSettings.DEFAULT_SIZE;

	private ImagePlus prepared;

	/** The prepared stack of the last successful run, or {@code null}. */
	public ImagePlus preparedImage() {
		return prepared;
	}

	@Override
	protected void execute() throws Exception {
		prepared = null;
		final PreprocessSettings settings = PreprocessSettings.builder().optHuMin(hu_min).optHuMax(hu_max).optSize(size).build();
		final ImagePlus imp = OpenImages.find(input);
		final Volume volume = ImagePlusVolumes.toVolume(imp);
		final PlanarImg<UnsignedByteType, ByteArray> stack = WindowedStack.of(volume, settings, Runtime.getRuntime().availableProcessors(), progress(),
				cancellation());
		final ImagePlus result = toRgbStack(stack, imp.getTitle() + "-prepared");
		// The seed rotates by 90° then resizes: columns come from the volume's i axis, rows from j.
		final double[] spacing = volume.geometry().spacing();
		final Calibration cal = result.getCalibration();
		cal.pixelWidth = spacing[0] * volume.size(0) / size;
		cal.pixelHeight = spacing[1] * volume.size(1) / size;
		cal.pixelDepth = spacing[2];
		cal.setUnit(imp.getCalibration().getUnit());
		OpenImages.publish(result, ui);
		prepared = result;
		progress().message(String.format(Locale.ROOT, "%s -> %s: %d slices at %d×%d, HU window [%s, %s]", imp.getTitle(), result.getTitle(),
				result.getStackSize(), size, size, fmt(hu_min), fmt(hu_max)));
	}

	/** The (x, y, channel = 3, z) bytes as one RGB slice per z. */
	static ImagePlus toRgbStack(final PlanarImg<UnsignedByteType, ByteArray> img, final String title) {
		final int w = (int) img.dimension(0), h = (int) img.dimension(1), d = (int) img.dimension(3);
		final ImageStack stack = new ImageStack(w, h);
		for (int k = 0; k < d; k++) {
			final byte[] r = img.getPlane(3 * k).getCurrentStorageArray(), g = img.getPlane(3 * k + 1).getCurrentStorageArray(),
					b = img.getPlane(3 * k + 2).getCurrentStorageArray();
			final int[] rgb = new int[w * h];
			for (int p = 0; p < rgb.length; p++)
				rgb[p] = (r[p] & 0xff) << 16 | (g[p] & 0xff) << 8 | b[p] & 0xff;
			stack.addSlice("slice " + (k + 1) + " (R = " + Math.max(1, k) + ", G = " + (k + 1) + ", B = " + Math.min(d, k + 2) + ")", new ColorProcessor(w, h, rgb));
		}
		return new ImagePlus(title, stack);
	}

	private static String fmt(final double v) {
		return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
	}
}
