package io.github.unet3p.core.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Formatting of allowed key values for error messages. */
final class Keys {

	private Keys() {}

	/** The values' key strings as {@code 'a', 'b', 'c'}. */
	static String list(final Enum<?>[] values) {
		return Arrays.stream(values).map(v -> "'" + v + "'").collect(Collectors.joining(", "));
	}
}
