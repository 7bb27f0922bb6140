package io.github.unet3p.core.model;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Which graph of the seed's Keras model is meant: the inference graph (d1 only) or the training
 * graph (with the deep-supervision heads of the deep-supervision variants).
 */
public enum Mode {

	/** The model as used for prediction: output d1 only. */
	INFERENCE("inference"),
	/** The model as trained: deep-supervision variants add their four heads. */
	TRAINING("training");

	private final String key;

	Mode(final String key) {
		this.key = key;
	}

	/** The default mode. */
	public static final Mode DEFAULT = INFERENCE;

	/** Every allowed key value, in declaration order. */
	public static java.util.List<String> keys() {
		return java.util.Arrays.stream(values()).map(Mode::key).toList();
	}

	/** The key string users type ({@code inference} or {@code training}). */
	public String key() {
		return key;
	}

	/**
	 * The mode with this key string.
	 *
	 * @throws InvalidInputException naming the key {@code mode} and the allowed values
	 */
	public static Mode fromKey(final String key) {
		for (final Mode m : values())
			if (m.key.equals(key)) return m;
		throw new InvalidInputException("mode: unknown value '" + key + "'; expected one of " + Keys.list(values()));
	}

	@Override
	public String toString() {
		return key;
	}
}
