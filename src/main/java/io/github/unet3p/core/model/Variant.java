package io.github.unet3p.core.model;

import io.github.unet3p.core.util.InvalidInputException;

/** The three UNet 3+ variants of the seed, named by their {@code variant} key strings. */
public enum Variant {

	/** The base model: one full-scale decoder, one output. */
	UNET3PLUS("unet3plus"),
	/** Base model plus deep-supervision heads on d2, d3, d4 and e5 (used in training only). */
	UNET3PLUS_DEEPSUP("unet3plus_deepsup"),
	/** Deep supervision plus the classification-guided module on e5 (needs {@code classes = 1}). */
	UNET3PLUS_DEEPSUP_CGM("unet3plus_deepsup_cgm");

	private final String key;

	Variant(final String key) {
		this.key = key;
	}

	/** The default variant (the reference recipe's). */
	public static final Variant DEFAULT = UNET3PLUS;

	/** Every allowed key value, in declaration order. */
	public static java.util.List<String> keys() {
		return java.util.Arrays.stream(values()).map(Variant::key).toList();
	}

	/** The key string users type ({@code unet3plus}, {@code unet3plus_deepsup}, {@code unet3plus_deepsup_cgm}). */
	public String key() {
		return key;
	}

	/** Whether training adds the four deep-supervision outputs. */
	public boolean hasDeepSupervision() {
		return this != UNET3PLUS;
	}

	/** Whether the classification-guided module gates the segmentation outputs. */
	public boolean hasClassificationGuide() {
		return this == UNET3PLUS_DEEPSUP_CGM;
	}

	/**
	 * The variant with this key string.
	 *
	 * @throws InvalidInputException naming the key {@code variant} and the allowed values
	 */
	public static Variant fromKey(final String key) {
		for (final Variant v : values())
			if (v.key.equals(key)) return v;
		throw new InvalidInputException("variant: unknown value '" + key + "'; expected one of " + Keys.list(values()));
	}

	@Override
	public String toString() {
		return key;
	}
}
