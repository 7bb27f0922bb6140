package io.github.unet3p.fiji.command;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.model.Mode;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelSummary;

/**
 * {@code UNet3+ Model Summary}: prints the per-stage parameter table of a UNet3+ architecture and
 * Keras' three lines ({@code Total params}, {@code Trainable params}, {@code Non-trainable params}),
 * as the seed's {@code model.summary()} does. Defaults are the seed's model (unet3plus variant,
 * vgg19 encoder, 64 filters, 2 classes, 320 × 320).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Model Summary", headless = true)
public class ModelSummaryCommand extends UNet3pCommand {

	@Parameter(label = "Variant", choices = { "unet3plus", "unet3plus_deepsup", "unet3plus_deepsup_cgm" }, required = false)
	String variant = Variant.DEFAULT.key();

	@Parameter(label = "Encoder", choices = { "unet3plus", "vgg16", "vgg19" }, required = false)
	String backbone = Backbone.DEFAULT.key();

	@Parameter(label = "Filters (first-stage width)", min = "1", required = false, description = "64 is the recipe's")
	int filters = ModelSpec.DEFAULT_FILTERS;

	@Parameter(label = "Classes", min = "1", required = false, description = "2 = softmax (the recipe's); 1 = sigmoid (needed by the CGM variant)")
	int classes = ModelSpec.DEFAULT_CLASSES;

	@Parameter(label = "Input size (pixels)", min = "32", required = false, description = "a multiple of 16; 320 is the recipe's")
	int size = ModelSpec.DEFAULT_SIZE;

	@Parameter(label = "Mode", choices = { "inference", "training" }, required = false,
			description = "training adds the deep-supervision heads of the deepsup variants")
	String mode = Mode.DEFAULT.key();

	@Override
	protected void execute() {
		final Mode m = Mode.fromKey(mode);
		final ModelSpec spec = ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(filters).optClasses(classes).optSize(size).build();
		ConsoleText.print(ModelSummary.of(spec, m).format(), ui);
	}
}
