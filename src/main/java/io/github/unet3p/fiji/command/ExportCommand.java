package io.github.unet3p.fiji.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * {@code UNet3+ Export}: writes a trained model bundle as a standard ONNX model ({@link OnnxExport}:
 * opset 13, input {@code image} (N, 3, size, size), output {@code probabilities}), with the
 * bundle's preparation in the ONNX metadata, for deepImageJ, ONNX Runtime in any language and
 * other ONNX tools (see {@code docs/onnx.md}).
 *
 * <p>{@code output} empty means {@value OnnxExport#FILE} inside a bundle folder (where
 * {@code engine=onnxruntime} looks for it). The file is written atomically; an existing file is
 * refused unless {@code overwrite=true}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Export", headless = true)
public class ExportCommand extends UNet3pCommand {

	/** Key: replace an existing output file. */
	public static final String OVERWRITE = "overwrite";

	@Parameter(label = "Model (bundle folder or .zip)", style = "both", description = "a folder written by UNet3+ Train (unet3p.json + weights.params), or a .zip of it")
	File model;

	@Parameter(label = "ONNX file (output)", style = "save", required = false, description = "empty = model.onnx inside the bundle folder", persist = false)
	File output;

	@Parameter(label = "Overwrite an existing file", required = false, persist = false)
	boolean overwrite;

	@Override
	protected void execute() {
		final Path bundle = model.toPath();
		final Path target = target(bundle);
		if (Files.isDirectory(target)) throw new InvalidInputException("output " + target + " is a folder; give a file name such as model.onnx.");
		if (Files.exists(target) && !overwrite)
			throw new InvalidInputException("output " + target + " exists; set " + OVERWRITE + "=true to replace it.");
		final long t0 = System.nanoTime();
		progress().message("Exporting " + bundle + " to ONNX (opset " + OnnxExport.OPSET + ")");
		OnnxExport.write(bundle, target);
		long bytes;
		try {
			bytes = Files.size(target);
		}
		catch (final java.io.IOException e) {
			bytes = -1;
		}
		progress().message(String.format(Locale.ROOT, "%s -> %s: %.1f MB in %.1f s", bundle, target, bytes / 1e6, (System.nanoTime() - t0) / 1e9));
	}

	/** {@code output}, or {@value OnnxExport#FILE} inside a bundle folder when it is empty. */
	private Path target(final Path bundle) {
		if (output != null && !output.getPath().isEmpty()) return output.toPath();
		if (!Files.isDirectory(bundle))
			throw new InvalidInputException("output is empty and model " + bundle + " is not a bundle folder; give output (a .onnx file).");
		if (!ModelBundle.isBundle(bundle)) throw new InvalidInputException("Model folder " + bundle + " has no " + ModelBundle.SPEC_FILE + "; is it a UNet3+ model?");
		return bundle.resolve(OnnxExport.FILE);
	}
}
