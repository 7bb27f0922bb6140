package io.github.unet3p.fiji.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ImageProcessor;
import ij.process.LUT;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.RandomAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.RealType;

/**
 * Converts between ImageJ 1.x images and {@link Volume}s. An ImagePlus row {@code y} of height
 * {@code H} is the volume's {@code j = H−1−y} and its column {@code x} is {@code i}, the
 * convention of ImageJ's NIfTI reader, our DICOM and TIFF readers and dcm2niix; the calibration's
 * pixel sizes are the spacing and a straight-line value calibration is the value scaling.
 */
public final class ImagePlusVolumes {

	private ImagePlusVolumes() {}

	/**
	 * The open image as a volume (a copy of its voxels; one channel, one frame).
	 *
	 * @throws InvalidInputException for RGB images, several channels or frames, or a value
	 *           calibration that is not a straight line
	 */
	public static Volume toVolume(final ImagePlus imp) {
		if (imp.getType() == ImagePlus.COLOR_RGB || imp.getType() == ImagePlus.COLOR_256)
			throw new InvalidInputException("Image '" + imp.getTitle() + "' is RGB/colour; UNet3+ needs a grayscale CT (HU) stack.");
		if (imp.getNChannels() > 1 || imp.getNFrames() > 1)
			throw new InvalidInputException("Image '" + imp.getTitle() + "' has " + imp.getNChannels() + " channels and " + imp.getNFrames()
					+ " frames; UNet3+ needs one 3-D stack (Image > Hyperstacks > Reduce Dimensionality).");
		final int w = imp.getWidth(), h = imp.getHeight(), d = imp.getStackSize();
		final Calibration cal = imp.getCalibration();
		double slope = 1, intercept = 0;
		if (cal.getFunction() == Calibration.STRAIGHT_LINE && cal.getCoefficients() != null) {
			intercept = cal.getCoefficients()[0];
			slope = cal.getCoefficients()[1];
		}
		else if (cal.getFunction() != Calibration.NONE && imp.getBitDepth() != 32)
			throw new InvalidInputException("Image '" + imp.getTitle() + "' has a value calibration that is not a straight line; convert it to 32-bit first.");
		final ImageStack stack = imp.getStack();
		final PlanarImg<? extends RealType<?>, ?> img = switch (imp.getBitDepth()) {
			case 8 -> PlanarImgs.unsignedBytes(w, h, d);
			case 16 -> PlanarImgs.unsignedShorts(w, h, d);
			default -> PlanarImgs.floats(w, h, d);
		};
		final RandomAccess<? extends RealType<?>> ra = img.randomAccess();
		for (int z = 0; z < d; z++) {
			final ImageProcessor ip = stack.getProcessor(z + 1);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					ra.setPosition(new int[] { x, h - 1 - y, z });
					ra.get().setReal(imp.getBitDepth() == 32 ? ip.getf(x, y) : ip.get(x, y));
				}
			}
		}
		final double sx = positive(cal.pixelWidth), sy = positive(cal.pixelHeight), sz = positive(cal.pixelDepth);
		return new Volume(img, slope, intercept, VolumeGeometry.ofSpacing(sx, sy, sz));
	}

	private static double positive(final double v) {
		return v > 0 && Double.isFinite(v) ? v : 1;
	}

	/**
	 * A label volume as an 8-bit ImagePlus with the geometry's spacing (mm) and a label LUT
	 * (0 black, 1 red, 2 green, …).
	 */
	public static ImagePlus toLabelImage(final Volume labels, final String title) {
		final int w = labels.size(0), h = labels.size(1), d = labels.size(2);
		final ImageStack stack = new ImageStack(w, h);
		final double[] plane = new double[w * h];
		for (int z = 0; z < d; z++) {
			labels.axialSlice(z, plane);
			final byte[] pixels = new byte[w * h];
			for (int j = 0; j < h; j++)
				for (int i = 0; i < w; i++)
					pixels[(h - 1 - j) * w + i] = (byte) Math.max(0, Math.min(255, Math.round(plane[j * w + i])));
			stack.addSlice(null, pixels);
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		final double[] spacing = labels.geometry().spacing();
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = spacing[0];
		cal.pixelHeight = spacing[1];
		cal.pixelDepth = spacing[2];
		cal.setUnit("mm");
		imp.getProcessor().setLut(labelLut());
		imp.getProcessor().setMinAndMax(0, 255);
		return imp;
	}

	/**
	 * A float volume (e.g. a probability map) as a 32-bit ImagePlus in the same orientation as
	 * {@link #toLabelImage}, with the geometry's spacing (mm) and the display range [0, 1].
	 */
	public static ImagePlus toFloatImage(final Volume volume, final String title) {
		final int w = volume.size(0), h = volume.size(1), d = volume.size(2);
		final ImageStack stack = new ImageStack(w, h);
		final double[] plane = new double[w * h];
		for (int z = 0; z < d; z++) {
			volume.axialSlice(z, plane);
			final float[] pixels = new float[w * h];
			for (int j = 0; j < h; j++)
				for (int i = 0; i < w; i++)
					pixels[(h - 1 - j) * w + i] = (float) plane[j * w + i];
			stack.addSlice(null, pixels);
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		final double[] spacing = volume.geometry().spacing();
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = spacing[0];
		cal.pixelHeight = spacing[1];
		cal.pixelDepth = spacing[2];
		cal.setUnit("mm");
		imp.setDisplayRange(0, 1);
		return imp;
	}

	/** Glasbey-like label colours: 0 black, 1 red, 2 green, 3 blue, 4 yellow, then grey. */
	static LUT labelLut() {
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		final int[][] colours = { { 0, 0, 0 }, { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 0 } };
		for (int i = 0; i < 256; i++) {
			final int[] c = i < colours.length ? colours[i] : new int[] { i, i, i };
			r[i] = (byte) c[0];
			g[i] = (byte) c[1];
			b[i] = (byte) c[2];
		}
		return new LUT(r, g, b);
	}
}
