package io.github.unet3p.fiji.command;

import java.io.File;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.model.keras.KerasImport;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * {@code UNet3+ Import}: turns a weights file of the reference recipe's Keras UNet 3+ (its
 * {@code ModelCheckpoint} {@code .hdf5}, a Keras 3 {@code .weights.h5}, the legacy HDF5 layout or
 * a whole-model {@code .h5}) into a model bundle that Segment, Segment Files, Evaluate, Export and
 * Train use like a trained one ({@link KerasImport}). The width is read from the file; variant,
 * backbone and classes must be the recipe run's, {@code size} the preparation it was trained with.
 * Every mismatch is one message naming the file and the layer, and nothing is written.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Import", headless = true)
public class ImportCommand extends UNet3pCommand {

	/** Key: replace an existing bundle folder. */
	public static final String OVERWRITE = "overwrite";

	@Parameter(label = "Keras weights file (input)", style = "open", description = "the recipe's checkpoint (.hdf5), a .weights.h5 or a whole-model .h5")
	File input;

	@Parameter(label = "Model folder (output)", style = "directory", description = "the model bundle to write")
	File model;

	@Parameter(label = "Variant", choices = { "unet3plus", "unet3plus_deepsup", "unet3plus_deepsup_cgm" }, required = false,
		description = "the recipe's MODEL.TYPE")
	String variant = Variant.DEFAULT.key();

	@Parameter(label = "Encoder", choices = { "unet3plus", "vgg16", "vgg19" }, required = false, description = "the recipe's MODEL.BACKBONE.TYPE")
	String backbone = Backbone.DEFAULT.key();

	@Parameter(label = "Classes", min = "1", required = false, description = "the recipe's OUTPUT.CLASSES (2 = liver/background)")
	int classes = ModelSpec.DEFAULT_CLASSES;

	@Parameter(label = "Slice size (pixels)", min = "32", required = false, description = "the recipe's INPUT.HEIGHT/WIDTH the model was trained with")
	int size = ModelSpec.DEFAULT_SIZE;

	@Parameter(label = "Replace an existing bundle", required = false, persist = false)
	boolean overwrite;

	@Override
	protected void execute() throws Exception {
		if (input == null) throw new InvalidInputException("input: give the Keras weights file to import");
		if (model == null) throw new InvalidInputException("model: give the bundle folder to write");
		final long t0 = System.nanoTime();
		progress().message("Importing " + input + " (variant=" + variant + ", backbone=" + backbone + ", classes=" + classes + ", size=" + size + ")");
		final KerasImport.Result r = KerasImport.run(input.toPath(), model.toPath(), Variant.fromKey(variant), Backbone.fromKey(backbone), classes, size,
			overwrite);
		progress().message(String.format(Locale.ROOT, "%s (%s, %d layers with weights, %,d values, filters=%d) -> %s in %.1f s", input, r.layout(),
			r.layers(), r.values(), r.spec().filters(), model, (System.nanoTime() - t0) / 1e9));
	}
}
