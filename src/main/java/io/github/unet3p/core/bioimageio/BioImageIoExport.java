package io.github.unet3p.core.bioimageio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.unet3p.core.infer.OrtProbabilityModel;
import io.github.unet3p.core.model.BundleArchive;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.onnx.OnnxMetadata;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.png.PngCodec;

/**
 * Writes a trained model bundle as a bioimage.io model package (format {@value ModelRdf#FORMAT_VERSION}):
 * a {@code .zip}, or a folder for any other output name, holding {@value ModelRdf#RDF}, the ONNX
 * weights ({@link OnnxExport}, opset {@value OnnxExport#OPSET}, which JDLL runs on ONNX Runtime
 * 1.8.1), test tensors from a prepared slice ({@link TestSlice}) and the probabilities ONNX Runtime
 * computes for it, a sample PNG, a cover ({@link PackageCover}), the documentation
 * ({@link PackageDocs}), and the bundle itself ({@code unet3p.json}, {@code weights.params},
 * {@code training/}'s logs) as attachments, so that UNet3+ Segment reads the package as a model.
 *
 * <p>Nothing half-written is ever visible: the files are made in a hidden folder beside the
 * output; a zip is written to a hidden file there and renamed onto the output; a folder is renamed
 * into place (an existing one is first renamed aside, then deleted).
 *
 * <p>NB: the package holds the weights twice (ONNX and the bundle's parameter stream): the ONNX
 * file is what the bioimage.io tools run, the bundle what this plugin's PyTorch engine and
 * training read, and neither can be rebuilt from the other without running code.
 */
public final class BioImageIoExport {

	private BioImageIoExport() {}

	/** Whether {@code output} names a zip package (else a folder). */
	public static boolean isZip(final Path output) {
		return output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
	}

	/**
	 * Exports the bundle at {@code bundle} (a folder or a {@code .zip} of one) as a package at
	 * {@code output}, replacing what is there.
	 *
	 * @param authors the package's authors, at least one
	 * @throws InvalidInputException naming the file when the bundle cannot be read or the package
	 *             cannot be written; then nothing is written
	 */
	public static void write(final Path bundle, final Path output, final List<String> authors) {
		if (authors.isEmpty() || authors.stream().anyMatch(a -> a.isBlank() || a.contains("/")))
			throw new InvalidInputException("authors must name at least one person, without '/': " + authors);
		final Path parent = output.toAbsolutePath().getParent();
		Path staging = null;
		try {
			Files.createDirectories(parent);
			staging = Files.createTempDirectory(parent, "." + output.getFileName() + ".");
			try (BundleArchive archive = BundleArchive.open(bundle)) {
				stage(archive, staging, authors);
			}
			if (isZip(output)) {
				final Path files = staging;
				AtomicFiles.write(output, out -> zip(files, out));
			}
			else {
				replaceFolder(staging, output);
				staging = null;
			}
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot write " + output + ": " + e.getMessage(), e);
		}
		finally {
			if (staging != null) deleteTree(staging);
		}
	}

	/** Writes every file of the package into {@code folder}. */
	static void stage(final BundleArchive archive, final Path folder, final List<String> authors) throws IOException {
		final ModelBundle bundle = archive.read();
		final byte[] onnx = OnnxExport.export(archive, bundle);
		final TestSlice slice = TestSlice.choose(bundle);
		final NpyFile input = slice.input();
		final NpyFile output = predict(onnx, bundle, input, archive.source());
		final int size = bundle.architecture().size(), classes = bundle.architecture().classes();
		Files.write(folder.resolve(OnnxExport.FILE), onnx);
		Files.write(folder.resolve(ModelRdf.TEST_INPUT), input.bytes());
		Files.write(folder.resolve(ModelRdf.TEST_OUTPUT), output.bytes());
		PngCodec.write(folder.resolve(ModelRdf.SAMPLE_INPUT), slice.image());
		PngCodec.write(folder.resolve(ModelRdf.COVER), PackageCover.of(slice.image(), PackageCover.labels(output.data(), classes, size)));
		Files.writeString(folder.resolve(ModelRdf.DOCUMENTATION), PackageDocs.of(bundle, slice.origin()), StandardCharsets.UTF_8);
		final List<String> attachments = copyBundle(archive.folder(), folder);
		final Map<String, String> sha = new LinkedHashMap<>();
		for (final String f : List.of(OnnxExport.FILE, ModelRdf.TEST_INPUT, ModelRdf.TEST_OUTPUT, ModelRdf.SAMPLE_INPUT, ModelRdf.COVER, ModelRdf.DOCUMENTATION))
			sha.put(f, OnnxMetadata.sha256(folder.resolve(f)));
		for (final String f : attachments)
			sha.put(f, OnnxMetadata.sha256(folder.resolve(f)));
		final Map<String, Object> rdf = ModelRdf.of(bundle, authors, sha, attachments, OffsetDateTime.now());
		Files.writeString(folder.resolve(ModelRdf.RDF), YamlText.of(rdf), StandardCharsets.UTF_8);
	}

	/** The probabilities ONNX Runtime computes for {@code input} (values 0…255, divided by 255 as the plugin does). */
	static NpyFile predict(final byte[] onnx, final ModelBundle bundle, final NpyFile input, final Path name) {
		final float[] x = new float[input.data().length];
		for (int i = 0; i < x.length; i++)
			x[i] = (float) (input.data()[i] / 255.0);
		final int size = bundle.architecture().size(), classes = bundle.architecture().classes();
		try (OrtProbabilityModel model = OrtProbabilityModel.of(onnx, bundle, name)) {
			return new NpyFile(new long[] { 1, classes, size, size }, model.predict(x, 1));
		}
	}

	/**
	 * Copies the bundle's spec, weights and training record; their names inside the package, in order.
	 *
	 * <p>NB: of {@code training/} only its files (the logs, the curve) go in: not the checkpoint
	 * folders and {@code checkpoint.json}, which are the state to resume training (the optimizer's
	 * moments are twice the weights' size) and no part of the record.
	 */
	private static List<String> copyBundle(final Path bundle, final Path folder) throws IOException {
		final List<String> names = new ArrayList<>(List.of(ModelBundle.SPEC_FILE, ModelBundle.WEIGHTS_FILE));
		final Path training = bundle.resolve("training");
		if (Files.isDirectory(training)) try (Stream<Path> s = Files.list(training)) {
			s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("checkpoint"))
					.map(p -> bundle.relativize(p).toString().replace('\\', '/')).sorted().forEach(names::add);
		}
		for (final String n : names) {
			final Path target = folder.resolve(n);
			Files.createDirectories(target.getParent());
			Files.copy(bundle.resolve(n), target);
		}
		return names;
	}

	/** Zips {@code folder}'s files, {@value ModelRdf#RDF} first, the others by name. */
	private static void zip(final Path folder, final OutputStream out) throws IOException {
		final List<String> names;
		try (Stream<Path> s = Files.walk(folder)) {
			names = new ArrayList<>(s.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/')).sorted().toList());
		}
		names.remove(ModelRdf.RDF);
		names.add(0, ModelRdf.RDF);
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			for (final String n : names) {
				zip.putNextEntry(new ZipEntry(n));
				Files.copy(folder.resolve(n), zip);
				zip.closeEntry();
			}
		}
	}

	/** Renames {@code staging} onto {@code output}; an existing {@code output} is renamed aside first and deleted after. */
	private static void replaceFolder(final Path staging, final Path output) throws IOException {
		Path old = null;
		if (Files.exists(output)) {
			old = output.resolveSibling("." + output.getFileName() + ".old-" + System.nanoTime());
			Files.move(output, old);
		}
		try {
			Files.move(staging, output);
		}
		catch (final IOException e) {
			if (old != null) Files.move(old, output);
			throw e;
		}
		if (old != null) deleteTree(old);
	}

	private static void deleteTree(final Path root) {
		try (Stream<Path> s = Files.walk(root)) {
			s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (final IOException | RuntimeException e) {
			// NB: best effort; a leftover hidden folder beside the output holds no user data.
		}
	}
}
