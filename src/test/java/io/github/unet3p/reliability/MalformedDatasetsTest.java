package io.github.unet3p.reliability;

import static io.github.unet3p.testsupport.Launch.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinySlices;

/**
 * Malformed prepared datasets given to {@code UNet3+ Train} through the launcher: refused with one
 * message naming the file or folder, no stack trace, no weights and no temporary file.
 */
class MalformedDatasetsTest {

	@TempDir
	Path tmp;

	/** Damages a valid 4-slice 32×32 dataset. */
	@FunctionalInterface
	interface Damage {
		void apply(Path data) throws IOException;
	}

	static Stream<Arguments> badDatasets() {
		return Stream.of(
			Arguments.of("images without masks", (Damage) d -> Files.delete(d.resolve("mask/mask_0_2.png")),
					new String[] { "image_0_2.png", "have no mask" }),
			Arguments.of("masks without images", (Damage) d -> Files.delete(d.resolve("images/image_0_1.png")),
					new String[] { "mask_0_1.png", "have no image" }),
			Arguments.of("not a PNG, named .png (first slice)", (Damage) d -> Files.writeString(d.resolve("images/image_0_0.png"), "hello"),
					new String[] { "image_0_0.png" }),
			Arguments.of("not a PNG, named .png (later slice)", (Damage) d -> Files.writeString(d.resolve("mask/mask_0_3.png"), "<html>"),
					new String[] { "mask_0_3.png" }),
			Arguments.of("grayscale image where RGB is expected", (Damage) d -> PngCodec.write(d.resolve("images/image_0_0.png"), TinySlices.squareMask(32, 32)),
					new String[] { "image_0_0.png", "grayscale", "RGB" }),
			Arguments.of("grayscale image, later slice", (Damage) d -> PngCodec.write(d.resolve("images/image_0_2.png"), TinySlices.squareMask(32, 32)),
					new String[] { "image_0_2.png", "grayscale", "RGB" }),
			Arguments.of("RGB mask", (Damage) d -> PngCodec.write(d.resolve("mask/mask_0_1.png"), TinySlices.square(32, 32, 0)),
					new String[] { "mask_0_1.png", "3 channels", "grayscale" }),
			Arguments.of("mixed sizes", (Damage) d -> {
				PngCodec.write(d.resolve("images/image_0_3.png"), TinySlices.square(64, 64, 3));
				PngCodec.write(d.resolve("mask/mask_0_3.png"), TinySlices.squareMask(64, 64));
			}, new String[] { "image_0_3.png", "64×64", "32×32" }),
			Arguments.of("mask label above the classes", (Damage) d -> {
				final SliceImage m = TinySlices.squareMask(32, 32);
				final byte[] b = m.samples().clone();
				b[0] = 3;
				PngCodec.write(d.resolve("mask/mask_0_1.png"), SliceImage.gray(32, 32, b));
			}, new String[] { "mask_0_1.png", "label 3" }),
			Arguments.of("empty folders", (Damage) d -> {
				for (final String f : new String[] { "images/image_0_", "mask/mask_0_" })
					for (int s = 0; s < 4; s++)
						Files.delete(d.resolve(f + s + ".png"));
			}, new String[] { "no image_*.png" }),
			Arguments.of("no mask folder", (Damage) d -> {
				for (int s = 0; s < 4; s++)
					Files.delete(d.resolve("mask/mask_0_" + s + ".png"));
				Files.delete(d.resolve("mask"));
			}, new String[] { "'images/' and 'mask/'" }),
			Arguments.of("slices not square", (Damage) d -> {
				for (int s = 0; s < 4; s++) {
					PngCodec.write(d.resolve("images/image_0_" + s + ".png"), TinySlices.square(64, 32, s));
					PngCodec.write(d.resolve("mask/mask_0_" + s + ".png"), TinySlices.squareMask(64, 32));
				}
			}, new String[] { "64×32", "square" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badDatasets")
	void trainRefusesAMalformedDataset(final String name, final Damage damage, final String[] fragments) throws IOException {
		final Path train = TinySlices.squares(tmp.resolve("train"), 4, 32), val = TinySlices.squares(tmp.resolve("val"), 2, 32);
		damage.apply(train);
		final Map<String, String> before = Launch.snapshot(train);
		final Path model = tmp.resolve("model");
		Launch.run("UNet3+ Train", "train=" + q(train) + ",validation=" + q(val) + ",model=" + q(model)
				+ ",backbone=unet3plus,filters=2,epochs=1,batch=4").refused(fragments);
		assertEquals(before, Launch.snapshot(train), "the dataset is never modified");
		assertFalse(Files.exists(model.resolve(ModelBundle.WEIGHTS_FILE)), "no weights from a refused run");
		assertFalse(Files.exists(model.resolve(ModelBundle.SPEC_FILE)), "no spec from a refused run");
		Launch.assertNoPartFiles(model);
	}
}
