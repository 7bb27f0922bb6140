package io.github.unet3p.fiji.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.process.ColorProcessor;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.metrics.CasePairing;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * {@code UNet3+ Overlay}: PNG pictures of a few axial CT slices (as the seed shows them: rot90,
 * HU window) with the predicted liver outline in red and the true one in green, for reports and
 * a quick look at a headless run.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Overlay", headless = true)
public class OverlayCommand extends UNet3pCommand {

	@Parameter(label = "CT volume", description = "the CT (NIfTI, DICOM folder, TIFF)")
	File ct;

	@Parameter(label = "Prediction", description = "predicted labels on the CT's grid")
	File prediction;

	@Parameter(label = "Truth (optional)", required = false, description = "reference labels on the CT's grid", persist = false)
	File truth;

	@Parameter(label = "Output folder", style = "directory")
	File output;

	@Parameter(label = "Number of slices", min = "1", required = false, description = "evenly spread over the slices that hold liver")
	int slices = OverlayRenderer.DEFAULT_SLICES;

	@Parameter(label = "HU window minimum", required = false)
	double hu_min = PreprocessSettings.DEFAULT_HU_MIN;

	@Parameter(label = "HU window maximum", required = false)
	double hu_max = PreprocessSettings.DEFAULT_HU_MAX;

	@Parameter(label = "Zoom", min = "1", max = "8", required = false)
	int zoom = OverlayRenderer.DEFAULT_ZOOM;

	@Override
	protected void execute() throws Exception {
		if (!(hu_min < hu_max)) throw new InvalidInputException("hu_min (" + hu_min + ") must be below hu_max (" + hu_max + ").");
		if (zoom < 1 || zoom > 8) throw new InvalidInputException("zoom must be between 1 and 8, not " + zoom + ".");
		if (slices < 1) throw new InvalidInputException("slices must be at least 1, not " + slices + ".");
		final Volume image = VolumeFiles.read(ct.toPath());
		final Volume pred = VolumeFiles.read(prediction.toPath());
		final Volume real = truth == null ? null : VolumeFiles.read(truth.toPath());
		sameGrid(image, ct, pred, prediction);
		if (real != null) sameGrid(image, ct, real, truth);
		final int[] chosen = chooseSlices(real != null ? real : pred, slices);
		final Path out = output.toPath();
		Files.createDirectories(out);
		final String stem = CasePairing.stem(ct.toPath());
		for (int n = 0; n < chosen.length; n++) {
			cancellation().check("Overlay");
			final ColorProcessor cp = OverlayRenderer.render(image, pred, real, chosen[n], hu_min, hu_max, zoom);
			final Path file = out.resolve("overlay_" + stem + "_" + chosen[n] + ".png");
			PngCodec.write(file, rgb(cp));
			progress().progress("Overlay " + stem, n + 1, chosen.length);
		}
		progress().message(chosen.length + " overlay picture(s) of " + stem + " (red: prediction, green: truth) in " + out);
	}

	private static void sameGrid(final Volume a, final File fa, final Volume b, final File fb) {
		if (!Arrays.equals(a.dimensions(), b.dimensions()))
			throw new InvalidInputException(fb + " has shape " + Arrays.toString(b.dimensions()) + " but " + fa + " has " + Arrays.toString(a.dimensions()) + ".");
	}

	/** Evenly spread slices among those with foreground (all slices if none has). */
	static int[] chooseSlices(final Volume labels, final int count) {
		final int depth = labels.size(2);
		final double[] plane = new double[labels.size(0) * labels.size(1)];
		final int[] withLabel = new int[depth];
		int m = 0;
		for (int k = 0; k < depth; k++) {
			labels.axialSlice(k, plane);
			for (final double v : plane)
				if (v != 0) {
					withLabel[m++] = k;
					break;
				}
		}
		final int[] pool = m > 0 ? Arrays.copyOf(withLabel, m) : java.util.stream.IntStream.range(0, depth).toArray();
		final int n = Math.min(count, pool.length);
		final int[] chosen = new int[n];
		for (int i = 0; i < n; i++)
			chosen[i] = pool[(int) ((i + 0.5) * pool.length / n)];
		return chosen;
	}

	private static SliceImage rgb(final ColorProcessor cp) {
		final int[] pixels = (int[]) cp.getPixels();
		final byte[] samples = new byte[pixels.length * 3];
		for (int i = 0; i < pixels.length; i++) {
			samples[3 * i] = (byte) (pixels[i] >> 16);
			samples[3 * i + 1] = (byte) (pixels[i] >> 8);
			samples[3 * i + 2] = (byte) pixels[i];
		}
		return SliceImage.rgb(cp.getWidth(), cp.getHeight(), samples);
	}
}
