package io.github.unet3p.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.integer.ShortType;

class BinaryMaskTest {

	/** Labels 0, 1, 2 along i in a 70×2×2 volume (rows cross a 64-bit word boundary). */
	private static Volume labels(final double slope, final double intercept) {
		final ArrayImg<ShortType, ShortArray> img = ArrayImgs.shorts(70, 2, 2);
		final short[] data = img.update(null).getCurrentStorageArray();
		for (int n = 0; n < data.length; n++)
			data[n] = (short) (n % 70 % 3);
		return new Volume(img, slope, intercept, VolumeGeometry.ofSpacing(0.7, 0.8, 2.5));
	}

	@ParameterizedTest
	@CsvSource({ "LIVER, 1, 0", "TUMOUR, 1, 0", "LIVER, 2, -2", "TUMOUR, 2, -2" })
	void labelRuleSelectsVoxelsAfterScaling(final LabelRule rule, final double slope, final double intercept) {
		final Volume v = labels(slope, intercept);
		final BinaryMask m = BinaryMask.of(v, rule);
		for (int k = 0; k < 2; k++)
			for (int j = 0; j < 2; j++)
				for (int i = 0; i < 70; i++) {
					final double label = slope * (i % 3) + intercept;
					final boolean expected = rule == LabelRule.LIVER ? label != 0 : label == 2;
					assertEquals(expected, m.get(i, j, k), "voxel " + i + "," + j + "," + k);
				}
		assertArrayEquals(new double[] { 0.7, 0.8, 2.5 }, m.spacing());
	}

	@Test
	void liverIsEveryNonZeroLabelAndTumourIsLabelTwo() {
		assertTrue(LabelRule.LIVER.isObject(1));
		assertTrue(LabelRule.LIVER.isObject(2));
		assertTrue(LabelRule.LIVER.isObject(-1));
		assertFalse(LabelRule.LIVER.isObject(0));
		assertFalse(LabelRule.LIVER.isObject(Double.NaN));
		assertTrue(LabelRule.TUMOUR.isObject(2));
		assertFalse(LabelRule.TUMOUR.isObject(1));
		assertEquals(LabelRule.TUMOUR, LabelRule.parse(" Tumor "));
		assertEquals(LabelRule.LIVER, LabelRule.parse("liver"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> LabelRule.parse("kidney"));
		assertTrue(e.getMessage().contains("kidney"));
	}

	@Test
	void countsAndEmptiness() {
		final BinaryMask m = TestMasks.box(new int[] { 100, 3, 3 }, new double[] { 1, 1, 1 }, new int[] { 60, 0, 1 }, new int[] { 70, 2, 1 });
		assertEquals(11 * 3, m.count());
		assertFalse(m.isEmpty());
		assertTrue(BinaryMask.empty(new int[] { 100, 3, 3 }, new double[] { 1, 1, 1 }).isEmpty());
	}

	@Test
	void refusesUnusableSpacingAndAbsurdSizes() {
		assertThrows(InvalidInputException.class, () -> BinaryMask.empty(new int[] { 2, 2, 2 }, new double[] { 1, 0, 1 }));
		assertThrows(InvalidInputException.class, () -> BinaryMask.empty(new int[] { Integer.MAX_VALUE, Integer.MAX_VALUE, 2 }, new double[] { 1, 1, 1 }));
	}
}
