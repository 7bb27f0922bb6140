package io.github.unet3p.core.bioimageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.png.PngCodec;

/**
 * {@link BioImageIoExport} on a tiny bundle whose training record names a folder of prepared
 * slices: the package passes {@link PackageChecker}, its test input is the training slice with the
 * most liver, and this plugin's engines (PyTorch, ONNX Runtime 1.22) read the package as a model
 * and reproduce its test output within {@value ModelRdf#TOLERANCE}.
 */
class BioImageIoExportTest {

	static final int SIZE = 32;

	@TempDir
	static Path shared;
	static Path bundle, zip, folder, unzipped;

	@BeforeAll
	static void export() throws IOException {
		final Path train = shared.resolve("train");
		writeSlices(train);
		bundle = bundle(shared.resolve("model"), train);
		zip = shared.resolve("out/liver.zip");
		folder = shared.resolve("out/liver-package");
		BioImageIoExport.write(bundle, zip, List.of("Ada Lovelace", "Alan Turing"));
		BioImageIoExport.write(bundle, folder, List.of("Ada Lovelace"));
		unzipped = unzip(zip, shared.resolve("unzipped"));
	}

	/** Three prepared slices; slice 7's mask has the most foreground. */
	static void writeSlices(final Path train) throws IOException {
		Files.createDirectories(train.resolve("images"));
		Files.createDirectories(train.resolve("mask"));
		final Random r = new Random(3);
		final int[] liver = { 40, 300, 90 };
		for (int i = 0; i < 3; i++) {
			final byte[] rgb = new byte[SIZE * SIZE * 3];
			r.nextBytes(rgb);
			final byte[] mask = new byte[SIZE * SIZE];
			for (int p = 0; p < liver[i]; p++)
				mask[p] = 1;
			PngCodec.write(train.resolve("images/image_0_" + (6 + i) + ".png"), SliceImage.rgb(SIZE, SIZE, rgb));
			PngCodec.write(train.resolve("mask/mask_0_" + (6 + i) + ".png"), SliceImage.gray(SIZE, SIZE, mask));
		}
	}

	/** An untrained width-2 bundle whose record names {@code train} (or nothing). */
	static Path bundle(final Path dir, final Path train) throws IOException {
		final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(2).optSize(SIZE).optClasses(2).build();
		final JsonObject t = new JsonObject();
		if (train != null) t.addProperty("train", train.toString());
		t.addProperty("best_val_dice", 0.5);
		t.addProperty("best_epoch", 1);
		new ModelBundle(spec, new PreparationSpec(-200, 250, SIZE), t).writeSpec(dir);
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 11);
			ModelWeights.save(net.block(), dir.resolve(ModelBundle.WEIGHTS_FILE));
		}
		Files.createDirectories(dir.resolve("training"));
		Files.writeString(dir.resolve("training/log.csv"), "epoch,loss\n1,0.9\n");
		return dir;
	}

	static Path unzip(final Path zip, final Path to) throws IOException {
		try (ZipFile z = new ZipFile(zip.toFile())) {
			final Enumeration<? extends ZipEntry> e = z.entries();
			while (e.hasMoreElements()) {
				final ZipEntry entry = e.nextElement();
				final Path target = to.resolve(entry.getName());
				Files.createDirectories(target.getParent());
				try (InputStream in = z.getInputStream(entry)) {
					Files.copy(in, target);
				}
			}
		}
		return to;
	}

	@Test
	void theZipAndTheFolderPassTheChecks() throws IOException {
		assertEquals(List.of(), PackageChecker.check(unzipped));
		assertEquals(List.of(), PackageChecker.check(folder));
		try (ZipFile z = new ZipFile(zip.toFile())) {
			assertEquals("rdf.yaml", z.entries().nextElement().getName(), "rdf.yaml comes first");
		}
		assertFalse(Files.list(zip.getParent()).anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary leftovers");
	}

	@Test
	void theTestInputIsTheTrainingSliceWithTheMostLiver() throws IOException {
		final NpyFile input = NpyFile.read(Files.readAllBytes(unzipped.resolve(ModelRdf.TEST_INPUT)), "test_input");
		assertArrayEquals(new long[] { 1, 3, SIZE, SIZE }, input.shape());
		final SliceImage slice = PngCodec.read(bundle.getParent().resolve("train/images/image_0_7.png"));
		for (int c = 0; c < 3; c++)
			for (int p = 0; p < SIZE * SIZE; p++)
				assertEquals(slice.samples()[p * 3 + c] & 0xff, input.data()[c * SIZE * SIZE + p], "channel " + c + " pixel " + p);
		assertEquals(slice, PngCodec.read(unzipped.resolve(ModelRdf.SAMPLE_INPUT)));
		assertTrue(Files.readString(unzipped.resolve(ModelRdf.DOCUMENTATION)).contains("image_0_7.png of the training data"));
	}

	@Test
	void theNpyHeadersAreJdllsExactly() throws IOException {
		for (final String f : List.of(ModelRdf.TEST_INPUT, ModelRdf.TEST_OUTPUT)) {
			final byte[] b = Files.readAllBytes(unzipped.resolve(f));
			final int length = (b[8] & 0xff) | (b[9] & 0xff) << 8;
			final String header = new String(b, 10, length, java.nio.charset.StandardCharsets.US_ASCII);
			final String shape = f.equals(ModelRdf.TEST_INPUT) ? "(1, 3, 32, 32)" : "(1, 2, 32, 32)";
			assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", header.stripTrailing());
			assertTrue(TensorAxes.JDLL_HEADER.matcher(header).find());
			assertEquals(0, (10 + length) % 64);
		}
	}

	@Test
	void thePluginsEnginesReadThePackageAndReproduceTheTestOutput() throws IOException {
		final NpyFile input = NpyFile.read(Files.readAllBytes(unzipped.resolve(ModelRdf.TEST_INPUT)), "in");
		final NpyFile expected = NpyFile.read(Files.readAllBytes(unzipped.resolve(ModelRdf.TEST_OUTPUT)), "out");
		final float[] x = new float[input.data().length];
		for (int i = 0; i < x.length; i++)
			x[i] = (float) (input.data()[i] * ModelRdf.GAIN);
		for (final Path model : List.of(zip, folder))
			for (final InferenceEngine engine : InferenceEngine.values())
				try (BundleModel m = ProbabilityModels.open(model, engine, Precision.FP32)) {
					final float[] y = m.predict(x, 1);
					assertEquals(expected.data().length, y.length);
					double worst = 0;
					for (int i = 0; i < y.length; i++)
						worst = Math.max(worst, Math.abs(y[i] - expected.data()[i]));
					assertTrue(worst <= ModelRdf.TOLERANCE, engine + " on " + model.getFileName() + ": max |difference| " + worst);
				}
	}

	@Test
	void withoutTrainingDataTheTestSliceIsASyntheticCt() throws IOException {
		final Path model = bundle(shared.resolve("no-data-model"), shared.resolve("gone"));
		final Path out = shared.resolve("synthetic/pkg.zip");
		BioImageIoExport.write(model, out, List.of("Grace Hopper"));
		final Path files = unzip(out, shared.resolve("synthetic/files"));
		assertEquals(List.of(), PackageChecker.check(files));
		assertTrue(Files.readString(files.resolve(ModelRdf.DOCUMENTATION)).contains("synthetic CT"));
		final float[] v = NpyFile.read(Files.readAllBytes(files.resolve(ModelRdf.TEST_INPUT)), "in").data();
		float min = 255, max = 0;
		for (final float f : v) {
			min = Math.min(min, f);
			max = Math.max(max, f);
		}
		assertTrue(min == 0 && max == 255, "a prepared slice spans 0..255: " + min + ".." + max);
	}

	@Test
	void aBrokenBundleWritesNothing() throws IOException {
		final Path model = bundle(shared.resolve("broken"), null);
		Files.delete(model.resolve(ModelBundle.WEIGHTS_FILE));
		final Path out = shared.resolve("broken-out/pkg.zip");
		final InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class, () -> BioImageIoExport.write(model, out, List.of("A B")));
		assertTrue(e.getMessage().contains(ModelBundle.WEIGHTS_FILE), e.getMessage());
		final List<Path> left = new ArrayList<>();
		try (var s = Files.list(out.getParent())) {
			s.forEach(left::add);
		}
		assertEquals(List.of(), left);
	}

	@Test
	void aPackageNotMadeHereIsRefusedWithAClearMessage() throws IOException {
		final Path other = shared.resolve("other-package");
		Files.createDirectories(other);
		Files.writeString(other.resolve("rdf.yaml"), "format_version: 0.5.7\ntype: model\n");
		final InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
				() -> ProbabilityModels.open(other, InferenceEngine.PYTORCH, Precision.FP32));
		assertTrue(e.getMessage().contains("bioimage.io package") && e.getMessage().contains("unet3p.json"), e.getMessage());
	}
}
