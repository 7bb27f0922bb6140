package io.github.unet3p.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.unet3p.core.util.InvalidInputException;

class SyntheticCtSettingsTest {

	private static SyntheticCtSettings.Builder base() {
		return SyntheticCtSettings.builder().setCount(3).setSeed(42);
	}

	@Test
	void defaultsGiveA384MmFieldOfViewAnd4MmSlices() {
		final SyntheticCtSettings s = base().build();
		assertEquals(3, s.count());
		assertEquals(42, s.seed());
		assertEquals(128, s.size());
		assertEquals(48, s.slices());
		assertEquals(3.0, s.inPlaneSpacing(), 0);
		assertEquals(4.0, s.sliceThickness(), 0);
		assertEquals(1.5, base().optSize(256).build().inPlaneSpacing(), 0);
	}

	@Test
	void spacingTextIsInPlaneThenThickness() {
		final SyntheticCtSettings s = base().optSpacing("2.5, 5").build();
		assertEquals(2.5, s.inPlaneSpacing(), 0);
		assertEquals(5.0, s.sliceThickness(), 0);
		assertEquals(base().build(), base().optSpacing(" ").build());
	}

	@Test
	void toStringUsesTheCommandKeys() {
		assertEquals("count=3 size=64 slices=10 seed=42 spacing='6.0,2.5'", base().optSize(64).optSlices(10).optSpacing(6, 2.5).build().toString());
	}

	static Stream<Arguments> badValues() {
		return Stream.of(
			Arguments.of("count", (Consumer<SyntheticCtSettings.Builder>) b -> b.setCount(0)),
			Arguments.of("count", (Consumer<SyntheticCtSettings.Builder>) b -> b.setCount(10_001)),
			Arguments.of("size", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSize(31)),
			Arguments.of("size", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSize(1025)),
			Arguments.of("slices", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSlices(0)),
			Arguments.of("slices", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSlices(1025)),
			Arguments.of("spacing", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSpacing(0, 4)),
			Arguments.of("spacing", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSpacing(3, Double.NaN)),
			Arguments.of("spacing", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSpacing(3, 51)),
			Arguments.of("spacing", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSpacing("3")),
			Arguments.of("spacing", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSpacing("3,four")),
			Arguments.of("spacing", (Consumer<SyntheticCtSettings.Builder>) b -> b.optSpacing("1,2,3")));
	}

	@ParameterizedTest(name = "{0} #{index}")
	@MethodSource("badValues")
	void badValueIsRefusedNamingItsKey(final String key, final Consumer<SyntheticCtSettings.Builder> set) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> set.accept(base()));
		assertTrue(e.getMessage().matches(key + "[ :].*"), e.getMessage());
	}

	@Test
	void missingRequiredKeysAreNamed() {
		assertTrue(assertThrows(InvalidInputException.class, () -> SyntheticCtSettings.builder().setSeed(1).build()).getMessage()
			.startsWith("count is required"));
		assertTrue(assertThrows(InvalidInputException.class, () -> SyntheticCtSettings.builder().setCount(1).build()).getMessage()
			.startsWith("seed is required"));
	}

	@Test
	void absurdVolumeIsRefusedBeforeAllocating() {
		final String m = assertThrows(InvalidInputException.class, () -> base().optSize(1024).optSlices(1024).build()).getMessage();
		assertTrue(m.contains("size") && m.contains("slices") && m.contains("1024 × 1024 × 1024"), m);
	}
}
