package io.github.unet3p.core.bioimageio;

import java.util.List;
import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.onnx.OnnxExport;

/**
 * The package's documentation ({@value ModelRdf#DOCUMENTATION}): what the model does, the
 * preparation a user must apply to a CT before the model sees it, how to run it in deepImageJ and
 * in UNet3+ for Fiji, a "Validation" section with the training record's validation Dice, and the
 * citations.
 */
public final class PackageDocs {

	private PackageDocs() {}

	/** The Markdown text for {@code bundle}, whose test slice came from {@code origin}. */
	public static String of(final ModelBundle bundle, final String origin) {
		final ModelSpec a = bundle.architecture();
		final PreparationSpec p = bundle.preparation();
		final JsonObject t = bundle.training();
		final StringBuilder b = new StringBuilder();
		b.append("# ").append(ModelRdf.name(a)).append("\n\n");
		b.append("Liver segmentation of abdominal CT, one axial slice at a time, with UNet 3+ (Huang et al., ICASSP 2020), trained with ");
		b.append("UNet3+ for Fiji after NVIDIA's UNet3+ recipe for LiTS 2017. Architecture: variant `").append(a.variant().key()).append("`, encoder `")
				.append(a.backbone().key()).append("`, width ").append(a.filters()).append(", ").append(a.classes()).append(" output channel(s) (")
				.append(String.join(", ", ModelRdf.classNames(a.classes()))).append("), input ").append(a.size()).append(" x ").append(a.size()).append(".\n\n");
		b.append("## Preparation (apply it before the model sees a CT)\n\n");
		b.append("The model takes one prepared RGB slice; in Fiji, **UNet3+ Prepare Open Image** makes exactly this stack from an open CT. By hand:\n\n");
		b.append("1. Read the CT in Hounsfield units (NIfTI scaling applied) in stored voxel order; rotate every axial slice like `np.rot90`.\n");
		b.append(String.format(Locale.ROOT, "2. Resize each slice to %d x %d with bicubic interpolation (OpenCV INTER_CUBIC, half-pixel centres).%n", p.size(), p.size()));
		b.append(String.format(Locale.ROOT, "3. Clip to the HU window [%s, %s].%n", num(p.huMin()), num(p.huMax())));
		b.append("4. Scale each slice on its own to 0-255 with its minimum and maximum and truncate to 8 bits (a constant slice becomes 0).\n");
		b.append("5. Stack slice k-1, k, k+1 (clamped at the ends) as R, G, B: one RGB image per slice k.\n\n");
		b.append("The package's input `").append(OnnxExport.INPUT).append("` is that RGB slice as float32 values 0-255 (axes batch, channel, y, x); its ");
		b.append("`scale_linear` preprocessing (gain 1/255) gives the network its input. Further stack slices are the batch. The output `")
				.append(OnnxExport.OUTPUT).append("` holds the class probabilities; the label of a pixel is the channel with the largest one")
				.append(a.classes() == 1 ? " (here: liver where the probability exceeds 0.5)" : "").append(". UNet3+ for Fiji merges every non-zero label of the training masks into liver (tumour included).\n\n");
		b.append("## Use\n\n");
		b.append("- **deepImageJ** (Fiji): install the package (the .zip) with *DeepImageJ Install Model*, open `").append(ModelRdf.SAMPLE_INPUT)
				.append("` or a slice made by UNet3+ Prepare Open Image, and run the model with *DeepImageJ Run*.\n");
		b.append("- **UNet3+ for Fiji**: give the package (the .zip or its folder) as `model` to UNet3+ Segment or UNet3+ Segment Files; it segments whole volumes with the ");
		b.append("preparation above and writes labels in the CT's own grid. The package holds the plugin's own bundle (`").append(ModelBundle.SPEC_FILE).append("`, `")
				.append(ModelBundle.WEIGHTS_FILE).append("`).\n");
		b.append("- Any ONNX runtime: `").append(OnnxExport.FILE).append("`, opset ").append(OnnxExport.OPSET).append(".\n\n");
		b.append("## Validation\n\n");
		b.append(validation(t));
		b.append("The test tensors (`").append(ModelRdf.TEST_INPUT).append("`, `").append(ModelRdf.TEST_OUTPUT).append("`) are ").append(origin).append(" and the ");
		b.append("probabilities ONNX Runtime computes for it. UNet3+ for Fiji's tests hold the packages it writes to this: ONNX Runtime 1.8.1 (the version JDLL picks for opset 13) and the plugin's own engines reproduce the test output within 1e-4.\n\n");
		b.append("## Training record\n\n```json\n").append(new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(t)).append("\n```\n\n");
		b.append("The full record is in `").append(ModelBundle.SPEC_FILE).append("` and `training/` (the per-epoch log), and in `config.unet3p_fiji` of `rdf.yaml`.\n\n");
		b.append("## Citations\n\n");
		for (final String c : List.of("Huang H, Lin L, Tong R, et al. UNet 3+: A Full-Scale Connected UNet for Medical Image Segmentation. ICASSP 2020. doi:" + ModelRdf.UNET3P_DOI,
				"NVIDIA Deep Learning Examples, UNet3+ for TensorFlow 2: " + ModelRdf.RECIPE_URL,
				"Bilic P, et al. The Liver Tumor Segmentation Benchmark (LiTS). Medical Image Analysis 84 (2023) 102680. doi:" + ModelRdf.LITS_DOI))
			b.append("- ").append(c).append('\n');
		b.append("\nLicense of this description: ").append(ModelRdf.LICENSE).append(". Check that the license of the data the weights were trained on allows sharing them (LiTS: CC BY-NC-SA 4.0).\n");
		return b.toString();
	}

	private static String validation(final JsonObject t) {
		final JsonElement dice = t.get("best_val_dice"), epoch = t.get("best_epoch"), data = t.get("validation");
		if (dice == null || !dice.isJsonPrimitive())
			return "The training record holds no validation Dice. Validate the model on CTs it has not seen: segment them with UNet3+ Segment Files and score the labels "
					+ "against the truth with UNet3+ Evaluate (Dice, VOE, RVD, ASSD, MSSD per case and overall).\n\n";
		return String.format(Locale.ROOT, "Best validation Dice (the recipe's per-slice Dice, argmax, mean over slices) during training: %.4f at epoch %s, on %s. ", dice.getAsDouble(),
				epoch == null ? "?" : epoch.getAsString(), data == null ? "the validation slices" : "`" + data.getAsString() + "`")
				+ "Validate on CTs the model has not seen with UNet3+ Segment Files and UNet3+ Evaluate (Dice, VOE, RVD, ASSD, MSSD per case and overall).\n\n";
	}

	private static String num(final double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}
}
