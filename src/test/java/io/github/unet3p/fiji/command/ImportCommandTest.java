package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.testsupport.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code UNet3+ Import} through the launcher: a recipe checkpoint becomes a bundle that Segment Files
 * and Export use; an existing bundle needs {@code overwrite}; and every bad input is one line
 * naming the file and the layer, exit 1, nothing written.
 */
class ImportCommandTest {

	private static final String COMMAND = "UNet3+ Import";
	private static final Path FIXTURES = Path.of("src/test/resources/io/github/unet3p/core/model/keras");
	private static final Path DEEPSUP = FIXTURES.resolve("unet3plus_deepsup-unet3plus.hdf5");
	private static final Path BASE = FIXTURES.resolve("unet3plus-unet3plus.hdf5");

	@TempDir
	Path tmp;

	private static String options(final Path input, final Path model, final String more) {
		return "input=" + Launch.q(input) + ",model=" + Launch.q(model) + ",size=32" + (more.isEmpty() ? "" : "," + more);
	}

	@Test
	void theImportedBundleSegmentsACtAndExports() throws IOException {
		final Path model = tmp.resolve("imported");
		final Launch.Outcome r = Launch.run(COMMAND, options(DEEPSUP, model, "variant=unet3plus_deepsup,backbone=unet3plus")).ok();
		assertTrue(r.text().contains("Keras 2 HDF5 weights"), r.text());
		final ModelBundle b = ModelBundle.read(model);
		assertEquals("unet3plus_deepsup", b.architecture().variant().key());
		assertEquals(2, b.architecture().filters(), "the width is read from the file");
		assertEquals(32, b.preparation().size());
		assertEquals("keras2", b.importRecord().get("layout").getAsString());
		final Path labels = tmp.resolve("labels/volume-6.nii.gz");
		Launch.run("UNet3+ Segment Files", "model=" + Launch.q(model) + ",input=" + Launch.q(Path.of("sample-data/lits/test/volume-6.nii.gz")) +
			",output=" + Launch.q(labels)).ok();
		assertTrue(Files.size(labels) > 0);
		Launch.run("UNet3+ Export", "model=" + Launch.q(model)).ok();
		assertTrue(Files.isRegularFile(model.resolve(OnnxExport.FILE)));
		final Path prep = tmp.resolve("prep");
		Launch.run("UNet3+ Preprocess", "input=" + Launch.q(Path.of("sample-data/lits/test")) + ",output=" + Launch.q(prep) + ",size=32").ok();
		final Path metrics = tmp.resolve("metrics.csv");
		Launch.run("UNet3+ Evaluate", "prediction=" + Launch.q(labels) + ",truth=" + Launch.q(Path.of("sample-data/lits/test/segmentation-6.nii.gz")) +
			",output=" + Launch.q(metrics) + ",model=" + Launch.q(model) + ",data=" + Launch.q(prep)).ok();
		assertTrue(Files.readString(metrics).contains("dice"));
		assertTrue(Files.isRegularFile(tmp.resolve("metrics" + EvaluateCommand.SEED_DICE_SUFFIX)), "the recipe's Dice with the imported model");
	}

	@Test
	void aMacroImports() throws IOException {
		final Path model = tmp.resolve("from-macro");
		final Path macro = tmp.resolve("import.ijm");
		Files.writeString(macro, "run(\"UNet3+ Import\", \"input=[" + BASE.toAbsolutePath() + "] model=[" + model +
			"] variant=unet3plus backbone=unet3plus classes=2 size=32\");\n");
		Launch.launch("-macro", macro.toString()).ok();
		assertEquals(2, ModelBundle.read(model).architecture().filters());
	}

	@Test
	void anExistingBundleIsReplacedOnlyWithOverwrite() throws IOException {
		final Path model = tmp.resolve("imported");
		Launch.run(COMMAND, options(BASE, model, "variant=unet3plus,backbone=unet3plus")).ok();
		final byte[] before = Files.readAllBytes(model.resolve(ModelBundle.WEIGHTS_FILE));
		Launch.run(COMMAND, options(DEEPSUP, model, "variant=unet3plus_deepsup,backbone=unet3plus")).refused("model: " + model, "overwrite=true");
		assertTrue(Arrays.equals(before, Files.readAllBytes(model.resolve(ModelBundle.WEIGHTS_FILE))), "the refused run left the bundle alone");
		Launch.run(COMMAND, options(DEEPSUP, model, "variant=unet3plus_deepsup,backbone=unet3plus,overwrite=true")).ok();
		assertEquals("unet3plus_deepsup", ModelBundle.read(model).architecture().variant().key());
		Launch.assertNoPartFiles(tmp);
	}

	/** One bad input: the file, the options, what the message must name. */
	private record Bad(String what, Path input, String options, String... fragments) {}

	@Test
	void everyBadInputIsOneLineNamingTheFileAndTheLayerAndWritesNothing() throws IOException {
		final Path truncated = tmp.resolve("truncated.hdf5");
		final byte[] full = Files.readAllBytes(BASE);
		Files.write(truncated, Arrays.copyOf(full, full.length / 2));
		final Path text = tmp.resolve("notes.hdf5");
		Files.writeString(text, "conv2d/kernel:0 = 1, 2, 3\n");
		final String base = "variant=unet3plus,backbone=unet3plus";
		final List<Bad> cases = List.of(
			new Bad("truncated", truncated, base, truncated.toString(), "truncated"),
			new Bad("not HDF5", text, base, text.toString(), "not an HDF5 file"),
			new Bad("deep-supervision file as unet3plus", DEEPSUP, base, DEEPSUP.toString(), "layer conv2d_120 is extra", "variant=unet3plus_deepsup"),
			new Bad("unet3plus file as unet3plus_deepsup", BASE, "variant=unet3plus_deepsup,backbone=unet3plus", BASE.toString(),
				"missing layer for the deep-supervision head d2"),
			new Bad("VGG file as unet3plus", FIXTURES.resolve("unet3plus-vgg19.legacy.hdf5"), base, "unet3plus-vgg19.legacy.hdf5", "layer block1_conv1",
				"backbone=vgg16 or backbone=vgg19"),
			new Bad("vgg19 file as vgg16", FIXTURES.resolve("unet3plus-vgg19.legacy.hdf5"), "variant=unet3plus,backbone=vgg16", "layer block3_conv4 is extra"),
			new Bad("wrong classes", BASE, base + ",classes=1", BASE.toString(), "layer conv2d_34 (output)", "2 output classes, but classes=1"),
			new Bad("extra layer", FIXTURES.resolve("broken-extra-layer.hdf5"), base, "broken-extra-layer.hdf5", "layer dense is extra"),
			new Bad("non-finite weight", FIXTURES.resolve("broken-nan.hdf5"), base, "broken-nan.hdf5", "layer conv2d_3", "non-finite value"),
			new Bad("missing file", tmp.resolve("none.hdf5"), base, "none.hdf5", "not found"),
			new Bad("a folder", FIXTURES, base, FIXTURES.toString(), "is a folder"),
			new Bad("the CGM variant", BASE, "variant=unet3plus_deepsup_cgm,backbone=unet3plus,classes=1", "variant: unet3plus_deepsup_cgm cannot be imported"));
		for (final Bad bad : cases) {
			final Path model = tmp.resolve("model-" + bad.what().replace(' ', '-'));
			final Launch.Outcome r = Launch.run(COMMAND, options(bad.input(), model, bad.options()));
			try {
				r.refused(bad.fragments());
			}
			catch (final AssertionError e) {
				throw new AssertionError(bad.what() + ": " + e.getMessage(), e);
			}
			assertFalse(Files.exists(model), bad.what() + ": nothing written");
		}
		Launch.assertNoPartFiles(tmp);
	}
}
