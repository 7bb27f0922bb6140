package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet3p.core.util.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossKindTest {

	@ParameterizedTest
	@CsvSource({ "hybrid, HybridLoss", "hybrid_msssim, HybridLoss", "focal, FocalLoss", "ssim, SsimLoss", "iou, IouLoss",
		"dice, DiceLoss", "cross_entropy, CrossEntropyLoss", "' Hybrid ', HybridLoss" })
	void keysSelectTheirLoss(final String key, final String className) {
		assertEquals(className, LossKind.fromKey(key).create().getClass().getSimpleName());
	}

	@Test
	void defaultIsTheSeedsHybridLossAndMsSsimIsAnOption() {
		assertEquals(LossKind.HYBRID, LossKind.DEFAULT);
		assertEquals("hybrid", LossKind.keys().get(0));
		assertTrue(!((HybridLoss) LossKind.HYBRID.create()).isMultiScale());
		assertTrue(((HybridLoss) LossKind.HYBRID_MSSSIM.create()).isMultiScale());
	}

	@Test
	void unknownKeyNamesTheKeyAndTheAllowedValues() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> LossKind.fromKey("l2"));
		assertTrue(e.getMessage().contains("'loss'") && e.getMessage().contains("'l2'"), e.getMessage());
		for (final String key : List.of("hybrid", "hybrid_msssim", "focal", "ssim", "iou", "dice", "cross_entropy"))
			assertTrue(e.getMessage().contains(key), e.getMessage());
		assertThrows(InvalidInputException.class, () -> LossKind.fromKey(null));
	}
}
