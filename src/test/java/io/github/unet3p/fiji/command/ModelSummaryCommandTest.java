package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.junit.jupiter.api.Test;

import io.github.unet3p.testsupport.Launch;

/** {@code UNet3+ Model Summary} through the launcher: the seed's Keras counts, Keras' formatting. */
class ModelSummaryCommandTest {

	@Test
	void seedModelWithUnet3plusEncoderPrintsKerasCounts() {
		final Launch.Outcome r = Launch.run("UNet3+ Model Summary", "variant='unet3plus',backbone='unet3plus',size=320");
		assertEquals(0, r.status(), r.err());
		assertTrue(r.out().contains("Trainable params: 26,974,658\n"), r.out());
		assertTrue(r.out().contains("Non-trainable params: 13,056\n"), r.out());
		assertTrue(r.out().contains("Total params: 26,987,714\n"), r.out());
		assertTrue(r.out().contains("e5"), "the per-stage table names the stages:\n" + r.out());
	}

	@ParameterizedTest(name = "{0} {1} {2}")
	@CsvSource({ "unet3plus_deepsup, vgg16, training, 1, '21,685,066', '5,120'", "unet3plus_deepsup, vgg16, inference, 1, '21,658,562', '5,120'",
			"unet3plus_deepsup_cgm, unet3plus, training, 1, '26,991,687', '13,056'" })
	void variantsAndModesFollowTheSeedsKerasModels(final String variant, final String backbone, final String mode, final int classesIfCgm,
			final String trainable, final String fixed) {
		final String classes = variant.endsWith("cgm") ? ",classes=" + classesIfCgm : "";
		final Launch.Outcome r = Launch.run("UNet3+ Model Summary", "variant='" + variant + "',backbone='" + backbone + "',mode='" + mode + "'" + classes);
		assertEquals(0, r.status(), r.err());
		assertTrue(r.out().contains("Trainable params: " + trainable + "\n"), r.out());
		assertTrue(r.out().contains("Non-trainable params: " + fixed + "\n"), r.out());
	}

	@Test
	void defaultsAreTheSeedsVgg19Model() {
		final Launch.Outcome r = Launch.run("UNet3+ Model Summary", "");
		assertEquals(0, r.status(), r.err());
		assertTrue(r.out().contains("backbone=vgg19") && r.out().contains("filters=64") && r.out().contains("size=320"), r.out());
		assertTrue(r.out().contains("Trainable params: 26,968,258\n"), r.out());
	}

	@Test
	void badKeysAreNamedWithoutStackTrace() {
		final Launch.Outcome r = Launch.run("UNet3+ Model Summary", "variant='unet3plus_deepsup_cgm',classes=2");
		assertEquals(1, r.status());
		assertTrue(r.err().contains("classes") && r.err().contains("classes=1"), r.err());
		assertFalse(r.err().contains("\tat "), r.err());
		final Launch.Outcome s = Launch.run("UNet3+ Model Summary", "size=100");
		assertEquals(1, s.status());
		assertTrue(s.err().contains("size: 100"), s.err());
	}
}
