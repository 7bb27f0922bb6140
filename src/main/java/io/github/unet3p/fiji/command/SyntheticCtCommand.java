package io.github.unet3p.fiji.command;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.synth.SyntheticDataset;

/**
 * {@code UNet3+ Synthetic CT}: writes a seeded, LiTS-shaped synthetic CT dataset
 * ({@code volume-N.nii.gz} + {@code segmentation-N.nii.gz}) for trying the pipeline without
 * patient data.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Synthetic CT", headless = true)
public class SyntheticCtCommand extends UNet3pCommand {

	@Parameter(label = "Output folder", style = "directory")
	File output;

	@Parameter(label = "Number of volumes", min = "1", required = false)
	int count = SyntheticCtSettings.DEFAULT_COUNT;

	@Parameter(label = "In-plane size (pixels)", min = "32", required = false)
	int size = SyntheticCtSettings.DEFAULT_SIZE;

	@Parameter(label = "Slices per volume", min = "1", required = false)
	int slices = SyntheticCtSettings.DEFAULT_SLICES;

	@Parameter(label = "Random seed", required = false)
	long seed = SyntheticCtSettings.DEFAULT_SEED;

	@Parameter(label = "Spacing (mm)", required = false, description = "'in-plane,thickness', e.g. '3.0,5.0'; empty = 384 mm field of view and 4 mm slices")
	String spacing = "";

	@Override
	protected void execute() throws Exception {
		final SyntheticCtSettings settings = SyntheticCtSettings.builder().setCount(count).setSeed(seed).optSize(size).optSlices(slices).optSpacing(spacing).build();
		final List<Path> files = SyntheticDataset.write(output.toPath(), settings, progress(), cancellation());
		progress().message(files.size() / 2 + " synthetic CT volume(s) with labels written to " + output);
	}
}
