package io.github.unet3p.core.train;

import java.util.Locale;
import java.util.SplittableRandom;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Training-time augmentation of a prepared slice, off by default as in the seed. Levels:
 * {@code none}; {@code light}: rotation within ±10°, isotropic scale 0.9…1.1, brightness ±0.05
 * and contrast 0.9…1.1; {@code full}: light plus left–right and up–down flips (each with
 * probability ½).
 *
 * <p>NB: flips are only in {@code full} because in CT the liver's side is itself a cue (the
 * spleen looks the same on the other side); flipping hides that cue.
 */
public enum Augmentation {
	/** No augmentation (the seed). */
	NONE,
	/** Small rotations and scales, intensity jitter. */
	LIGHT,
	/** Light plus flips. */
	FULL;

	/** The default: none, as the reference recipe. */
	public static final Augmentation DEFAULT = NONE;

	/** All allowed values of the {@code augment} key, default first. */
	public static java.util.List<String> keys() {
		return java.util.Arrays.stream(values()).map(Augmentation::key).toList();
	}

	/** The key value, e.g. "light". */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses a key value; unknown values name the key {@code augment} and the choices. */
	public static Augmentation fromKey(final String key) {
		for (final Augmentation a : values())
			if (a.key().equals(key)) return a;
		throw new InvalidInputException("augment must be one of none, light, full; not '" + key + "'.");
	}

	/**
	 * Augments one sample in place.
	 *
	 * @param image planar float image, {@code channels × h × w}, values 0…1
	 * @param labels row-major labels, {@code h × w}
	 * @param random the sample's own seeded stream
	 */
	public void apply(final float[] image, final int channels, final byte[] labels, final int w, final int h, final SplittableRandom random) {
		if (this == NONE) return;
		final double angle = StrictMath.toRadians(random.nextDouble(-10, 10));
		final double scale = random.nextDouble(0.9, 1.1);
		final boolean flipX = this == FULL && random.nextBoolean();
		final boolean flipY = this == FULL && random.nextBoolean();
		final double brightness = random.nextDouble(-0.05, 0.05);
		final double contrast = random.nextDouble(0.9, 1.1);
		warp(image, channels, labels, w, h, angle, scale, flipX, flipY);
		for (int i = 0; i < image.length; i++)
			image[i] = (float) Math.min(1, Math.max(0, (image[i] - 0.5) * contrast + 0.5 + brightness));
	}

	/** Inverse-maps every output pixel through rotation, scale and flips about the centre. */
	private static void warp(final float[] image, final int channels, final byte[] labels, final int w, final int h, final double angle,
			final double scale, final boolean flipX, final boolean flipY) {
		final float[] src = image.clone();
		final byte[] srcLabels = labels.clone();
		final double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
		// NB: StrictMath (fdlibm), not Math: Math's sin/cos may differ by an ulp between JIT tiers and
		// machines, and a resumed run must see the very same augmented pixels as an uninterrupted one.
		final double cos = StrictMath.cos(angle) / scale, sin = StrictMath.sin(angle) / scale;
		final int plane = w * h;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final double dx = (flipX ? w - 1 - x : x) - cx, dy = (flipY ? h - 1 - y : y) - cy;
				final double sx = cos * dx + sin * dy + cx, sy = -sin * dx + cos * dy + cy;
				final int o = y * w + x;
				final int nx = clamp((int) Math.round(sx), w), ny = clamp((int) Math.round(sy), h);
				labels[o] = srcLabels[ny * w + nx];
				final int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
				final double fx = sx - x0, fy = sy - y0;
				final int xa = clamp(x0, w), xb = clamp(x0 + 1, w), ya = clamp(y0, h), yb = clamp(y0 + 1, h);
				for (int c = 0; c < channels; c++) {
					final int base = c * plane;
					final double top = src[base + ya * w + xa] * (1 - fx) + src[base + ya * w + xb] * fx;
					final double bottom = src[base + yb * w + xa] * (1 - fx) + src[base + yb * w + xb] * fx;
					image[base + o] = (float) (top * (1 - fy) + bottom * fy);
				}
			}
		}
	}

	private static int clamp(final int v, final int n) {
		return v < 0 ? 0 : v >= n ? n - 1 : v;
	}
}
