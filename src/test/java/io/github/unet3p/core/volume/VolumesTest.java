package io.github.unet3p.core.volume;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.core.util.InvalidInputException;
import net.imglib2.img.array.ArrayImgs;

class VolumesTest {

	private static final VolumeGeometry UNIT = VolumeGeometry.ofSpacing(1, 1, 1);

	@Test
	void finiteVolumePasses() {
		assertDoesNotThrow(() -> Volumes.requireFinite(Volume.of(ArrayImgs.floats(new float[] { -1e30f, 0, 5, 1e30f }, 2, 2, 1), UNIT), "ct.nii"));
		assertDoesNotThrow(() -> Volumes.requireFinite(Volume.of(ArrayImgs.shorts(2, 2, 2), UNIT), "ct.nii"));
	}

	@Test
	void nonFiniteVoxelsAreCountedAndTheFirstIsLocated() {
		// 2×2×2, stored order i fastest: index 5 = (i=1, j=0, k=1)
		final float[] v = { 0, 1, 2, 3, 4, Float.NaN, 6, Float.POSITIVE_INFINITY };
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> Volumes.requireFinite(Volume.of(ArrayImgs.floats(v, 2, 2, 2), UNIT), "volume-3.nii"));
		final String m = e.getMessage();
		assertTrue(m.contains("volume-3.nii") && m.contains("2 voxels") && m.contains("i=1, j=0, k=1"), m);
	}

	@Test
	void scalingThatOverflowsIsNotFinite() {
		final double[] v = { 1e308, 0 };
		final Volume big = new Volume(ArrayImgs.doubles(v, 2, 1, 1), 10, 0, UNIT);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Volumes.requireFinite(big, "x.nii"));
		assertTrue(e.getMessage().contains("1 voxel that is"), e.getMessage());
	}

	@ParameterizedTest(name = "spacing {0}: same grid = {1}")
	@CsvSource({ "0.7, true", "0.7005, true", "0.7007, true", "0.7008, false", "0.69, false" })
	void spacingMustAgreeWithinOnePerMille(final double spacing, final boolean same) {
		final Volume a = Volume.of(ArrayImgs.unsignedBytes(3, 2, 2), VolumeGeometry.ofSpacing(0.7, 0.7, 5));
		final Volume b = Volume.of(ArrayImgs.unsignedBytes(3, 2, 2), VolumeGeometry.ofSpacing(0.7, spacing, 5));
		if (same) assertDoesNotThrow(() -> Volumes.requireSameGrid(a, "pred.nii", b, "truth.nii"));
		else {
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Volumes.requireSameGrid(a, "pred.nii", b, "truth.nii"));
			assertTrue(e.getMessage().contains("pred.nii") && e.getMessage().contains("truth.nii") && e.getMessage().contains("spacing"), e.getMessage());
		}
	}

	@Test
	void shapesMustMatch() {
		final Volume a = Volume.of(ArrayImgs.unsignedBytes(3, 2, 2), UNIT);
		final Volume b = Volume.of(ArrayImgs.unsignedBytes(3, 2, 3), UNIT);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Volumes.requireSameGrid(a, "pred.nii", b, "truth.nii"));
		assertTrue(e.getMessage().contains("3×2×2") && e.getMessage().contains("3×2×3"), e.getMessage());
	}
}
