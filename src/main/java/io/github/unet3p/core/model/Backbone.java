package io.github.unet3p.core.model;

import io.github.unet3p.core.util.InvalidInputException;

/** The encoders the seed offers, named by their {@code backbone} key strings. */
public enum Backbone {

	/** UNet 3+'s own encoder: five stages of two [3×3 conv + BN + ReLU], widths f·(1, 2, 4, 8, 16). */
	UNET3PLUS("unet3plus", new int[] { 2, 2, 2, 2, 2 }),
	/** Keras VGG16 layout (2, 2, 3, 3, 3 convolutions with bias + ReLU, no BN), widths f·(1, 2, 4, 8, 8). */
	VGG16("vgg16", new int[] { 2, 2, 3, 3, 3 }),
	/** Keras VGG19 layout (2, 2, 4, 4, 4 convolutions with bias + ReLU, no BN), widths f·(1, 2, 4, 8, 8). */
	VGG19("vgg19", new int[] { 2, 2, 4, 4, 4 });

	private final String key;
	private final int[] convsPerStage;

	Backbone(final String key, final int[] convsPerStage) {
		this.key = key;
		this.convsPerStage = convsPerStage;
	}

	/** The default encoder (the reference recipe's). */
	public static final Backbone DEFAULT = VGG19;

	/** Every allowed key value, in declaration order. */
	public static java.util.List<String> keys() {
		return java.util.Arrays.stream(values()).map(Backbone::key).toList();
	}

	/** The key string users type ({@code unet3plus}, {@code vgg16}, {@code vgg19}). */
	public String key() {
		return key;
	}

	/** Whether the encoder is a Keras VGG (plain convolutions) rather than conv + BN blocks. */
	public boolean isVgg() {
		return this != UNET3PLUS;
	}

	/** Number of 3×3 convolutions in encoder stage {@code stage} (1…5). */
	public int convsInStage(final int stage) {
		return convsPerStage[stage - 1];
	}

	/**
	 * Width (channels) of encoder stage {@code stage} (1…5) for first-stage width {@code filters}.
	 *
	 * <p>NB: Keras' VGG has fixed widths 64, 128, 256, 512, 512 and the seed never changes them
	 * (its {@code filters} list is fixed at 64…1024). We scale VGG widths with {@code filters}
	 * like UNet 3+'s own encoder (f, 2f, 4f, 8f, 8f) so a small VGG model can be trained on a CPU;
	 * at the default {@code filters = 64} this is exactly Keras' VGG.
	 */
	public int width(final int stage, final int filters) {
		final int doubling = isVgg() ? Math.min(stage - 1, 3) : stage - 1;
		return filters << doubling;
	}

	/**
	 * The backbone with this key string.
	 *
	 * @throws InvalidInputException naming the key {@code backbone} and the allowed values
	 */
	public static Backbone fromKey(final String key) {
		for (final Backbone b : values())
			if (b.key.equals(key)) return b;
		throw new InvalidInputException("backbone: unknown value '" + key + "'; expected one of " + Keys.list(values()));
	}

	@Override
	public String toString() {
		return key;
	}
}
