package io.github.unet3p.core.metrics;

import java.util.Locale;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Which voxels of a LiTS label volume (0 = background, 1 = liver, 2 = tumour) form the object
 * being evaluated. Labels are compared after the volume's value scaling.
 */
public enum LabelRule {

	/**
	 * The liver including its tumours: every non-zero label (the default, and the seed's mask).
	 *
	 * <p>NB: a NaN label is background, so a corrupt voxel never joins the object.
	 */
	LIVER("liver") {

		@Override
		public boolean isObject(final double label) {
			return label != 0 && !Double.isNaN(label);
		}
	},

	/** Tumours only: label exactly 2. */
	TUMOUR("tumour") {

		@Override
		public boolean isObject(final double label) {
			return label == 2;
		}
	};

	private final String key;

	LabelRule(final String key) {
		this.key = key;
	}

	/** Whether a voxel with this (scaled) label value belongs to the object. */
	public abstract boolean isObject(double label);

	/** The default structure (the liver). */
	public static final LabelRule DEFAULT = LIVER;

	/** Every allowed key value, in declaration order. */
	public static java.util.List<String> keys() {
		return java.util.Arrays.stream(values()).map(LabelRule::key).toList();
	}

	/** The lowercase name used in parameters and reports: {@code liver} or {@code tumour}. */
	public String key() {
		return key;
	}

	/**
	 * The rule named {@code key} ({@code liver} or {@code tumour}, case-insensitive; {@code tumor}
	 * is accepted too).
	 *
	 * @throws InvalidInputException naming the value and the accepted ones
	 */
	public static LabelRule parse(final String key) {
		final String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
		if (k.equals("liver")) return LIVER;
		if (k.equals("tumour") || k.equals("tumor")) return TUMOUR;
		throw new InvalidInputException("label rule '" + key + "' is not known: expected 'liver' (every non-zero label) or 'tumour' (label 2)");
	}
}
