package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.unet3p.core.util.InvalidInputException;

/** Augmentation levels: none is the identity, light never flips the sides, full does half the time. */
class AugmentationTest {

	private static final int W = 40, H = 30;

	/** A mask whose left third is labelled, and an image equal to it (1 where labelled). */
	private static byte[] leftThird() {
		final byte[] labels = new byte[W * H];
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W / 3; x++)
				labels[y * W + x] = 1;
		return labels;
	}

	private static float[] imageOf(final byte[] labels) {
		final float[] image = new float[3 * W * H];
		for (int c = 0; c < 3; c++)
			for (int p = 0; p < W * H; p++)
				image[c * W * H + p] = labels[p];
		return image;
	}

	/** Mean x of the labelled pixels. */
	private static double centreX(final byte[] labels) {
		double sum = 0;
		int n = 0;
		for (int p = 0; p < labels.length; p++)
			if (labels[p] != 0) {
				sum += p % W;
				n++;
			}
		return sum / n;
	}

	@Test
	void noneLeavesTheSampleUntouched() {
		final byte[] labels = leftThird();
		final float[] image = imageOf(labels);
		Augmentation.NONE.apply(image, 3, labels, W, H, new SplittableRandom(1));
		assertArrayEquals(leftThird(), labels);
		assertArrayEquals(imageOf(leftThird()), image);
	}

	@ParameterizedTest
	@EnumSource(value = Augmentation.class, names = { "LIGHT", "FULL" })
	void theSameStreamGivesTheSameResultAndValuesStayInRange(final Augmentation a) {
		final byte[] l1 = leftThird(), l2 = leftThird();
		final float[] i1 = imageOf(l1), i2 = imageOf(l2);
		a.apply(i1, 3, l1, W, H, new SplittableRandom(42));
		a.apply(i2, 3, l2, W, H, new SplittableRandom(42));
		assertArrayEquals(l1, l2);
		assertArrayEquals(i1, i2);
		for (final float v : i1)
			assertTrue(v >= 0 && v <= 1, "intensity out of 0…1: " + v);
		for (final byte b : l1)
			assertTrue(b == 0 || b == 1, "labels are moved, never blended: " + b);
	}

	@Test
	void lightNeverFlipsTheSidesAndFullFlipsAboutHalfTheTime() {
		int lightFlips = 0, fullFlips = 0;
		final int trials = 200;
		for (int t = 0; t < trials; t++) {
			final byte[] light = leftThird(), full = leftThird();
			Augmentation.LIGHT.apply(imageOf(light), 3, light, W, H, new SplittableRandom(t));
			Augmentation.FULL.apply(imageOf(full), 3, full, W, H, new SplittableRandom(t));
			if (centreX(light) > W / 2.0) lightFlips++;
			if (centreX(full) > W / 2.0) fullFlips++;
		}
		assertEquals(0, lightFlips);
		assertTrue(fullFlips > 70 && fullFlips < 130, fullFlips + " of " + trials);
	}

	@Test
	void rotationAndScaleStayWithinTheDocumentedRange() {
		for (int t = 0; t < 50; t++) {
			final byte[] labels = leftThird();
			Augmentation.LIGHT.apply(imageOf(labels), 3, labels, W, H, new SplittableRandom(t));
			int n = 0;
			for (final byte b : labels)
				n += b;
			// area scales by 0.81…1.21; the border replication can only add pixels along the left edge
			assertTrue(n > 0.75 * H * (W / 3) && n < 1.35 * H * (W / 3), "labelled area " + n);
		}
	}

	@Test
	void keysParseAndUnknownOnesAreNamed() {
		assertEquals(Augmentation.LIGHT, Augmentation.fromKey("light"));
		assertEquals("full", Augmentation.FULL.key());
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Augmentation.fromKey("heavy"));
		assertTrue(e.getMessage().contains("augment") && e.getMessage().contains("heavy"), e.getMessage());
	}
}
