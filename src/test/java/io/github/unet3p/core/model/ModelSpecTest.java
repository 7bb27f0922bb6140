package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet3p.core.util.InvalidInputException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelSpecTest {

	@Test
	void defaultsAreTheSeedsConfig() {
		final ModelSpec s = ModelSpec.builder().build();
		assertEquals(Variant.UNET3PLUS, s.variant());
		assertEquals(Backbone.VGG19, s.backbone());
		assertEquals(64, s.filters());
		assertEquals(2, s.classes());
		assertEquals(320, s.size());
		assertEquals(320, s.decoderWidth());
		assertEquals(s, s.toBuilder().build());
	}

	@Test
	void keysParseToTheirEnums() {
		final ModelSpec s = ModelSpec.builder().optVariant("unet3plus_deepsup_cgm").optBackbone("vgg16").optClasses(1)
			.optFilters(8).optSize(64).build();
		assertEquals(Variant.UNET3PLUS_DEEPSUP_CGM, s.variant());
		assertEquals(Backbone.VGG16, s.backbone());
		for (final Variant v : Variant.values()) assertEquals(v, Variant.fromKey(v.key()));
		for (final Backbone b : Backbone.values()) assertEquals(b, Backbone.fromKey(b.key()));
		for (final Mode m : Mode.values()) assertEquals(m, Mode.fromKey(m.key()));
	}

	@Test
	void encoderWidthsFollowTheBackbone() {
		final int[] unet = new int[5];
		final int[] vgg = new int[5];
		for (int s = 1; s <= 5; s++) {
			unet[s - 1] = Backbone.UNET3PLUS.width(s, 64);
			vgg[s - 1] = Backbone.VGG19.width(s, 64);
		}
		assertEquals("[64, 128, 256, 512, 1024]", java.util.Arrays.toString(unet));
		assertEquals("[64, 128, 256, 512, 512]", java.util.Arrays.toString(vgg), "Keras VGG widths at the default");
		assertEquals(32, Backbone.VGG16.width(5, 4));
	}

	static Stream<Arguments> badSpecs() {
		return Stream.of(
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optVariant("unet4plus"), "variant",
				"'unet3plus', 'unet3plus_deepsup', 'unet3plus_deepsup_cgm'"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optBackbone("resnet50"), "backbone",
				"'unet3plus', 'vgg16', 'vgg19'"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optFilters(0), "filters", "1 to 256"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optFilters(100000), "filters", "1 to 256"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optClasses(0), "classes", "expected 1"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optSize(330), "size", "multiple of 16"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optSize(16), "size", "from 32"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optSize(1 << 20), "size", "to 2048"),
			Arguments.of((UnaryOperator<ModelSpec.Builder>) b -> b.optVariant("unet3plus_deepsup_cgm"), "classes",
				"needs classes=1"));
	}

	@ParameterizedTest(name = "{1}: {2}")
	@MethodSource("badSpecs")
	void badValuesAreRefusedNamingTheKey(final UnaryOperator<ModelSpec.Builder> change, final String key, final String expected) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> change.apply(ModelSpec.builder()).build());
		assertTrue(e.getMessage().startsWith(key + ":"), e.getMessage());
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}

	@Test
	void smallestAcceptedSizeIs32() {
		assertEquals(32, ModelSpec.builder().optSize(32).build().size());
		assertEquals(48, ModelSpec.builder().optSize(48).build().size());
	}
}
