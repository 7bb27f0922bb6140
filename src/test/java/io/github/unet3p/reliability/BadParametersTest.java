package io.github.unet3p.reliability;

import static io.github.unet3p.testsupport.Launch.q;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinySlices;
import io.github.unet3p.testsupport.TinyVolumes;

/**
 * Bad values for the keys of {@code UNet3+ Train} and {@code UNet3+ Preprocess}, given through the
 * launcher: refused before anything is written, with one message naming the key and what it
 * accepts.
 */
class BadParametersTest {

	@TempDir
	Path tmp;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			epochs=0                                | epochs          | between 1 and
			epochs=-3                               | epochs          | not -3
			epochs=many                             | epochs          | a whole number
			batch=0                                 | batch           | between 1 and
			batch=-4                                | batch           | not -4
			filters=0                               | filters         | out of range
			learning_rate=0                         | learning_rate   | positive
			patience=0                              | patience        | at least 1
			variant=unet4plus                       | variant         | unet3plus_deepsup
			backbone=resnet50                       | backbone        | vgg19
			loss=dice2                              | loss            | hybrid
			augment=heavy                           | augment         | light
			devices=tpu                             | devices         | gpu
			variant=unet3plus_deepsup_cgm,classes=2 | classes         | classes=1
			classes=0                               | classes         | out of range
			resume=maybe                            | resume          | true or false
			colour=red                              | colour          | Its keys are
			""")
	void trainRefusesABadKey(final String options, final String key, final String expected) throws IOException {
		final Path train = TinySlices.squares(tmp.resolve("train"), 2, 32), model = tmp.resolve("model");
		Launch.run("UNet3+ Train", "train=" + q(train) + ",validation=" + q(train) + ",model=" + q(model) + "," + withDefaults(options))
				.refused(key, expected);
		assertFalse(Files.exists(model), "nothing is written for bad settings");
	}

	/**
	 * NB: Train has no size key; the size is the slices' own, and must be a multiple of 16 for the
	 * five-stage encoder.
	 */
	@ParameterizedTest(name = "slices of {0} pixels")
	@CsvSource({ "40", "56" })
	void trainRefusesSlicesWhoseSizeIsNotAMultipleOf16(final int side) throws IOException {
		final Path train = TinySlices.squares(tmp.resolve("train"), 2, side), model = tmp.resolve("model");
		Launch.run("UNet3+ Train", "train=" + q(train) + ",validation=" + q(train) + ",model=" + q(model) + ",backbone=unet3plus,filters=2,epochs=1")
				.refused(String.valueOf(side), "multiple of 16");
		assertFalse(Files.exists(model), "nothing is written for bad data");
	}

	/** A tiny, fast model unless the case sets the key itself. */
	private static String withDefaults(final String options) {
		final java.util.Map<String, String> all = new java.util.LinkedHashMap<>(java.util.Map.of("backbone", "unet3plus", "filters", "2", "epochs", "1"));
		for (final String kv : options.split(","))
			all.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
		final StringBuilder b = new StringBuilder();
		all.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
		return b.toString();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			hu_min=250,hu_max=250   | hu_min | smaller than
			hu_min=300,hu_max=250   | hu_min | smaller than
			hu_max=-1000            | hu_min | smaller than
			size=8                  | size   | between 16 and
			size=5000               | size   | between 16 and
			size=3.5                | size   | a whole number
			hu_min=low              | hu_min | a number
			overwrite=yes           | overwrite | true or false
			""")
	void preprocessRefusesABadKey(final String options, final String key, final String expected) throws IOException {
		final Path in = tmp.resolve("in"), out = tmp.resolve("out");
		TinyVolumes.litsCase(in, 0);
		Launch.run("UNet3+ Preprocess", "input=" + q(in) + ",output=" + q(out) + "," + options).refused(key, expected);
		assertFalse(Files.exists(out), "nothing is written for bad settings");
	}
}
