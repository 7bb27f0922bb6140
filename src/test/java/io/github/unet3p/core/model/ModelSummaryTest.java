package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model's DJL parameter counts equal the counts of the seed's Keras models, derived here
 * independently from the architecture's layer rules (not from the model code).
 */
class ModelSummaryTest {

	/** Keras Conv2D k × k, in → out, with bias. */
	private static long conv(final long k, final long in, final long out) {
		return k * k * in * out + out;
	}

	/** {trainable, non-trainable} of the seed's Keras model, from the SPEC's layer rules. */
	static long[] kerasCounts(final String variant, final String backbone, final String mode, final long f, final long classes) {
		long trainable = 0;
		long fixed = 0;
		final long[] width;
		if (backbone.equals("unet3plus")) {
			width = new long[] { f, 2 * f, 4 * f, 8 * f, 16 * f };
			long in = 3;
			for (final long w : width) {
				// two [conv + BN (gamma, beta trainable; moving mean, variance not)]
				trainable += conv(3, in, w) + 2 * w + conv(3, w, w) + 2 * w;
				fixed += 4 * w;
				in = w;
			}
		}
		else {
			width = new long[] { f, 2 * f, 4 * f, 8 * f, 8 * f };
			final int[] convs = backbone.equals("vgg16") ? new int[] { 2, 2, 3, 3, 3 } : new int[] { 2, 2, 4, 4, 4 };
			long in = 3;
			for (int s = 0; s < 5; s++)
				for (int c = 0; c < convs[s]; c++) {
					trainable += conv(3, in, width[s]);
					in = width[s];
				}
		}
		final long cat = 5 * f;
		for (int level = 4; level >= 1; level--) {
			for (int j = 1; j <= 5; j++) {
				// encoder maps at and above this level and e5 keep their widths; d4…d2 have 5f
				final long in = j <= level || j == 5 ? width[j - 1] : cat;
				trainable += conv(3, in, f) + 2 * f;
				fixed += 2 * f;
			}
			trainable += conv(3, cat, cat) + 2 * cat;
			fixed += 2 * cat;
		}
		trainable += conv(3, cat, classes);
		if (!variant.equals("unet3plus") && mode.equals("training"))
			trainable += 3 * conv(3, cat, classes) + conv(3, width[4], classes);
		if (variant.equals("unet3plus_deepsup_cgm")) trainable += conv(1, width[4], 2);
		return new long[] { trainable, fixed };
	}

	static Stream<Arguments> allCombinations() {
		final List<Arguments> list = new ArrayList<>();
		for (final Variant v : Variant.values())
			for (final Backbone b : Backbone.values())
				for (final Mode m : Mode.values())
					list.add(Arguments.of(v, b, m));
		return list.stream();
	}

	@ParameterizedTest(name = "{0} / {1} / {2}")
	@MethodSource("allCombinations")
	void countsEqualTheSeedsKerasModelAt320(final Variant variant, final Backbone backbone, final Mode mode) {
		final int classes = variant.hasClassificationGuide() ? 1 : 2;
		final ModelSpec spec = ModelSpec.builder().optVariant(variant).optBackbone(backbone).optClasses(classes).build();
		final ModelSummary summary = ModelSummary.of(spec, mode);
		final long[] expected = kerasCounts(variant.key(), backbone.key(), mode.key(), 64, classes);
		assertEquals(expected[0], summary.trainable(), "trainable");
		assertEquals(expected[1], summary.nonTrainable(), "non-trainable");
		assertEquals(expected[0] + expected[1], summary.total(), "total");
	}

	@ParameterizedTest(name = "{0} / {1} / filters {2} / classes {3}")
	@MethodSource("smallCombinations")
	void countsFollowFiltersAndClasses(final Variant variant, final Backbone backbone, final int filters, final int classes) {
		final ModelSpec spec = ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(filters)
			.optClasses(classes).optSize(32).build();
		for (final Mode mode : Mode.values()) {
			final long[] expected = kerasCounts(variant.key(), backbone.key(), mode.key(), filters, classes);
			final ModelSummary summary = ModelSummary.of(spec, mode);
			assertEquals(expected[0], summary.trainable(), mode + " trainable");
			assertEquals(expected[1], summary.nonTrainable(), mode + " non-trainable");
		}
	}

	static Stream<Arguments> smallCombinations() {
		return Stream.of(Arguments.of(Variant.UNET3PLUS, Backbone.UNET3PLUS, 4, 3),
			Arguments.of(Variant.UNET3PLUS_DEEPSUP, Backbone.VGG16, 5, 2),
			Arguments.of(Variant.UNET3PLUS_DEEPSUP_CGM, Backbone.VGG19, 3, 1),
			Arguments.of(Variant.UNET3PLUS_DEEPSUP, Backbone.UNET3PLUS, 8, 1));
	}

	@Test
	void seedDefaultIsThePublishedCount() {
		final ModelSpec spec = ModelSpec.builder().optVariant("unet3plus").optBackbone("unet3plus").build();
		final ModelSummary summary = ModelSummary.of(spec, Mode.INFERENCE);
		assertEquals(26_974_658L, summary.trainable());
		assertEquals(26_987_714L, summary.total());
		final String text = summary.format();
		assertTrue(text.contains("Trainable params: 26,974,658"), text);
		assertTrue(text.contains("Non-trainable params: 13,056"), text);
		assertTrue(text.contains("Total params: 26,987,714"), text);
		// encoder stage 1: conv 3→64 + BN + conv 64→64 + BN
		final ModelSummary.Row first = summary.rows().get(0);
		assertEquals("encoder.stage1", first.name());
		assertEquals(1792 + 128 + 36928 + 128, first.trainable());
		assertEquals(256, first.nonTrainable());
		assertEquals(new ai.djl.ndarray.types.Shape(1, 64, 320, 320), first.output());
	}

	@Test
	void trainingModeListsTheDeepSupervisionHeads() {
		final ModelSpec spec = ModelSpec.builder().optVariant("unet3plus_deepsup").optFilters(4).optSize(32).build();
		final List<String> training = ModelSummary.of(spec, Mode.TRAINING).rows().stream().map(ModelSummary.Row::name).toList();
		final List<String> inference = ModelSummary.of(spec, Mode.INFERENCE).rows().stream().map(ModelSummary.Row::name).toList();
		assertTrue(training.containsAll(List.of("head.d2", "head.d3", "head.d4", "head.e5")), training.toString());
		assertTrue(inference.stream().noneMatch(n -> n.startsWith("head.")), inference.toString());
	}
}
