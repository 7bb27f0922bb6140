package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.unet3p.core.util.InvalidInputException;

class InferenceSettingsTest {

	@Test
	void defaultsAreTheSeedsPlainInference() {
		final InferenceSettings s = InferenceSettings.defaults();
		assertEquals(4, s.batch());
		assertFalse(s.largestComponent() || s.fillHoles() || s.ttaFlip() || s.probabilities());
	}

	@Test
	void builderSetsEveryValue() {
		final InferenceSettings s = InferenceSettings.builder().optBatch(9).optLargestComponent(true).optFillHoles(true).optTtaFlip(true)
				.optProbabilities(true).build();
		assertEquals(9, s.batch());
		assertTrue(s.largestComponent() && s.fillHoles() && s.ttaFlip() && s.probabilities());
		assertEquals("batch=9, largest_component=true, fill_holes=true, tta_flip=true, probabilities=true, precision=fp32, engine=auto", s.toString());
		assertEquals(s, InferenceSettings.builder().optBatch(9).optLargestComponent(true).optFillHoles(true).optTtaFlip(true).optProbabilities(true).build());
		final InferenceSettings onnx = InferenceSettings.builder().optEngine(InferenceEngine.ONNXRUNTIME).build();
		assertEquals(InferenceEngine.ONNXRUNTIME, onnx.engine());
		assertTrue(onnx.toString().endsWith(", engine=onnxruntime"), onnx.toString());
		assertFalse(onnx.equals(InferenceSettings.defaults()), "the engine is part of the settings' value");
		assertEquals(InferenceEngine.AUTO, InferenceSettings.defaults().engine());
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -1, 1025 })
	void refusesABatchOutsideTheRangeNamingTheKey(final int batch) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> InferenceSettings.builder().optBatch(batch).build());
		assertTrue(e.getMessage().startsWith("batch must be between 1 and 1024"), e.getMessage());
	}
}
