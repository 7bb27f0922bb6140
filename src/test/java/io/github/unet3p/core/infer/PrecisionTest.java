package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.unet3p.core.util.InvalidInputException;

class PrecisionTest {

	@ParameterizedTest
	@CsvSource({ "fp32, FP32", "fp32_folded, FP32_FOLDED", "fp16, FP16" })
	void keysRoundTrip(final String key, final Precision expected) {
		assertEquals(expected, Precision.fromKey(key));
		assertEquals(key, expected.key());
		assertEquals(key, expected.toString());
	}

	@ParameterizedTest
	@ValueSource(strings = { "FP32", "fp64", "" })
	void unknownValuesAreRefusedNamingTheKeyAndTheChoices(final String value) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.fromKey(value));
		assertEquals("precision: unknown value '" + value + "'; expected one of 'fp32', 'fp32_folded', 'fp16'", e.getMessage());
	}

	@ParameterizedTest
	@ValueSource(strings = { "bf16", "BF16", "bfloat16" })
	void bfloat16IsRefusedWithTheReasonBeforeItReachesTheNatives(final String value) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.fromKey(value));
		assertTrue(e.getMessage().startsWith("precision='" + value + "' is not supported: DJL 0.36's PyTorch engine aborts the whole JVM"), e.getMessage());
	}

	@Test
	void settingsDefaultToFp32AndCarryTheChoice() {
		assertEquals(Precision.FP32, InferenceSettings.defaults().precision());
		final InferenceSettings folded = InferenceSettings.builder().optPrecision(Precision.FP32_FOLDED).build();
		assertEquals(Precision.FP32_FOLDED, folded.precision());
		assertTrue(folded.toString().contains(", precision=fp32_folded"), folded.toString());
		assertTrue(!folded.equals(InferenceSettings.defaults()), "precision is part of the settings' value");
	}
}
