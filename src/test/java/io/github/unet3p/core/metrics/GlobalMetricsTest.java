package io.github.unet3p.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobalMetricsTest {

	/** A 3×3×3 cube shifted by one voxel: 18 TP, 9 FP, 9 FN, ASSD 5/13 mm. */
	static final CaseMetrics SHIFTED = new CaseMetrics(18, 9, 9, 26, 26, 5.0 / 13, 1, 1);
	/** Nothing predicted for a 27-voxel truth. */
	static final CaseMetrics MISSED = new CaseMetrics(0, 0, 27, 0, 26, Double.NaN, Double.NaN, Double.NaN);

	static GlobalMetrics threeCases() {
		return new GlobalMetrics().add("shifted", SHIFTED).add("missed", MISSED).add("empty", CaseMetrics.bothEmpty());
	}

	@Test
	void globalDicePoolsVoxelsOfAllCases() {
		final GlobalMetrics g = threeCases();
		assertEquals(3, g.caseCount());
		assertEquals(18, g.truePositives());
		assertEquals(9, g.falsePositives());
		assertEquals(36, g.falseNegatives());
		assertEquals(2.0 * 18 / (27 + 54), g.globalDice(), 1e-12);
		assertEquals(g.globalDice(), g.globalValue(LitsMetric.DICE));
	}

	@Test
	void meansSkipUndefinedValuesAndSaySo() {
		final GlobalMetrics g = threeCases();
		assertEquals((2.0 / 3 + 0 + 1) / 3, g.mean(LitsMetric.DICE), 1e-12);
		assertEquals((0.5 + 1 + 0) / 3, g.mean(LitsMetric.VOE), 1e-12);
		assertEquals(-1.0 / 3, g.mean(LitsMetric.RVD), 1e-12);
		assertEquals((5.0 / 13 + 0) / 2, g.mean(LitsMetric.ASSD), 1e-12);
		assertEquals(0.5, g.mean(LitsMetric.MSSD), 1e-12);
		assertEquals(2, g.definedCount(LitsMetric.HD95));
		assertEquals(3, g.definedCount(LitsMetric.RVD));
		assertTrue(g.note().contains("assd_mm over 2 of 3"), g.note());
	}

	@Test
	void noCasesGiveUndefinedValues() {
		final GlobalMetrics g = new GlobalMetrics();
		assertEquals(Double.NaN, g.globalDice());
		assertEquals(Double.NaN, g.mean(LitsMetric.ASSD));
	}

	@Test
	void caseMetricsRejectDistancesThatContradictTheEmptyRule() {
		assertThrows(IllegalArgumentException.class, () -> new CaseMetrics(0, 0, 27, 0, 26, 0, 0, 0));
		assertThrows(IllegalArgumentException.class, () -> new CaseMetrics(18, 9, 9, 26, 26, Double.NaN, 1, 1));
		assertThrows(IllegalArgumentException.class, () -> new CaseMetrics(-1, 9, 9, 26, 26, 1, 1, 1));
	}
}
