package io.github.unet3p.fiji.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.bioimageio.BioImageIoExport;
import io.github.unet3p.core.bioimageio.ExportFormat;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.onnx.OnnxMetadata;
import io.github.unet3p.core.onnx.OnnxModelFile;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * {@code UNet3+ Export}: writes a trained model bundle as a standard ONNX model ({@link OnnxExport}:
 * opset 13, input {@code image} (N, 3, size, size), output {@code probabilities}), with the
 * bundle's preparation in the ONNX metadata, for deepImageJ, ONNX Runtime in any language and
 * other ONNX tools (see {@code docs/onnx.md}); with {@code format=bioimageio}, a bioimage.io model
 * package ({@link BioImageIoExport}: a {@code .zip}, or a folder for any other name) that deepImageJ,
 * JDLL and the BioImage Model Zoo take and UNet3+ Segment reads back (see {@code docs/sharing.md}).
 *
 * <p>{@code output} empty means {@value OnnxExport#FILE} inside a bundle folder (where
 * {@code engine=onnxruntime} looks for it). The file is written atomically; an existing file is
 * refused unless {@code overwrite=true}.
 *
 * <p>NB: the bundle's own {@value OnnxExport#FILE} is replaced without {@code overwrite} when it is
 * an export of ours (its metadata says {@value OnnxMetadata#FORMAT_NAME}): that is the cache
 * {@code engine=auto} writes there on the first segmentation, derived from the bundle alone, so
 * writing it again loses nothing, and refusing it would make Export fail on every bundle that has
 * segmented. Any other file there is refused as any existing output is.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Export", headless = true)
public class ExportCommand extends UNet3pCommand {

	/** Key: replace an existing output file. */
	public static final String OVERWRITE = "overwrite";

	@Parameter(label = "Model (bundle folder or .zip)", style = "both", description = "a folder written by UNet3+ Train (unet3p.json + weights.params), or a .zip of it")
	File model;

	@Parameter(label = "Output (ONNX file; bioimageio: .zip or folder)", style = "save", required = false, description = "empty = model.onnx inside the bundle folder (format onnx only)", persist = false)
	File output;

	@Parameter(label = "Format", choices = { "onnx", "bioimageio" }, required = false, description = "onnx: one model.onnx; bioimageio: a bioimage.io model package (deepImageJ, Model Zoo)")
	String format = ExportFormat.DEFAULT.key();

	@Parameter(label = "Authors (bioimageio; comma-separated)", required = false, description = "the package's authors; empty = this computer's user name")
	String authors = "";

	@Parameter(label = "Overwrite an existing file", required = false, persist = false)
	boolean overwrite;

	@Override
	protected void execute() {
		final Path bundle = model.toPath();
		if (ExportFormat.fromKey(format) == ExportFormat.BIOIMAGEIO) {
			exportPackage(bundle);
			return;
		}
		final Path target = target(bundle);
		if (Files.isDirectory(target)) throw new InvalidInputException("output " + target + " is a folder; give a file name such as model.onnx.");
		final boolean bundleCache = (output == null || output.getPath().isEmpty()) && isOurExport(target);
		if (Files.exists(target) && !overwrite && !bundleCache)
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

	/** {@code format=bioimageio}: the package at {@code output} (a .zip, or a folder). */
	private void exportPackage(final Path bundle) {
		if (output == null || output.getPath().isEmpty())
			throw new InvalidInputException("format=bioimageio needs output: a .zip file (or a folder) for the bioimage.io package.");
		final Path target = output.toPath();
		if (Files.exists(target) && !overwrite) throw new InvalidInputException("output " + target + " exists; set " + OVERWRITE + "=true to replace it.");
		if (Files.isDirectory(target) && !Files.isRegularFile(target.resolve("rdf.yaml")))
			throw new InvalidInputException("output " + target + " is a folder that holds no bioimage.io package (no rdf.yaml); it is not replaced. Give a new name or a .zip.");
		final List<String> people = authors == null || authors.isBlank() ? List.of(System.getProperty("user.name", "unknown"))
				: Arrays.stream(authors.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
		final long t0 = System.nanoTime();
		progress().message("Exporting " + bundle + " as a bioimage.io package (ONNX opset " + OnnxExport.OPSET + ")");
		BioImageIoExport.write(bundle, target, people);
		progress().message(String.format(Locale.ROOT, "%s -> %s (bioimage.io package) in %.1f s", bundle, target, (System.nanoTime() - t0) / 1e9));
	}

	/** Whether {@code file} is an ONNX export written by this plugin (the engine's cache or an earlier Export). */
	private static boolean isOurExport(final Path file) {
		if (!Files.isRegularFile(file)) return false;
		try {
			return OnnxMetadata.FORMAT_NAME.equals(OnnxModelFile.read(file).metadata().get(OnnxMetadata.FORMAT));
		}
		catch (final RuntimeException e) {
			return false;
		}
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
