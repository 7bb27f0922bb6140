package io.github.unet3p.fiji.command;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.preprocess.LitsPreparer;
import io.github.unet3p.core.preprocess.PreprocessSettings;

/**
 * {@code UNet3+ Preprocess}: turns LiTS volumes ({@code volume-N.nii[.gz]} with optional
 * {@code segmentation-N.nii[.gz]}) into the seed's training slices: {@code images/image_N_k.png}
 * (RGB = slices k−1, k, k+1) and {@code mask/mask_N_k.png} (0/1).
 *
 * <p>NB: an output folder that already holds slices is refused unless {@code overwrite=true}; then
 * the earlier slices are deleted first, so a folder never mixes two preparations.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Preprocess", headless = true)
public class PreprocessCommand extends UNet3pCommand {

	@Parameter(label = "Input (LiTS folder or one volume)", style = "both", description = "folder of volume-N.nii[.gz] (+ segmentation-N) or one volume file")
	File input;

	@Parameter(label = "Output folder", style = "directory", description = "receives images/ and mask/")
	File output;

	@Parameter(label = "HU window minimum", required = false)
	double hu_min = PreprocessSettings.DEFAULT_HU_MIN;

	@Parameter(label = "HU window maximum", required = false)
	double hu_max = PreprocessSettings.DEFAULT_HU_MAX;

	@Parameter(label = "Slice size (pixels)", min = "16", required = false, description = "320 is the recipe's")
	int size = PreprocessSettings.DEFAULT_SIZE;

	@Parameter(label = "Replace slices already in the output folder", required = false,
			description = "false refuses an output folder that already holds images/ or mask/ slices", persist = false)
	boolean overwrite;

	@Override
	protected void execute() throws Exception {
		final PreprocessSettings settings = PreprocessSettings.builder().optHuMin(hu_min).optHuMax(hu_max).optSize(size).build();
		final LitsPreparer.Summary s = new LitsPreparer(settings).prepare(input.toPath(), output.toPath(), overwrite, progress(), cancellation());
		progress().message(s.volumes() + " volume(s) prepared: " + s.images() + " images, " + s.masks() + " masks in " + output);
	}
}
