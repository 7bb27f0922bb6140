package io.github.unet3p.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The {@code key=value} options of one command, as the launcher's {@code --run} gives them, read
 * with the conversions of the command's declared types: unknown keys and malformed values are
 * refused by name.
 */
final class Keys {

	private final String command;
	private final Map<String, String> values;

	/**
	 * @throws InvalidInputException naming the first key {@code command} does not have
	 */
	Keys(final String command, final Map<String, String> values, final Set<String> known) {
		this.command = command;
		this.values = values;
		for (final String k : values.keySet())
			if (!known.contains(k)) {
				final List<String> sorted = new ArrayList<>(known);
				sorted.sort(null);
				throw new InvalidInputException(command + " has no key '" + k + "'; its keys are " + String.join(", ", sorted) + ".");
			}
	}

	/** The value of a required key. */
	String required(final String key) {
		final String v = values.get(key);
		if (v == null || v.isEmpty()) throw new InvalidInputException(command + " needs " + key + "=...");
		return v;
	}

	/** The value of an optional key, or {@code fallback}. */
	String text(final String key, final String fallback) {
		final String v = values.get(key);
		return v == null || v.isEmpty() ? fallback : v;
	}

	/** A {@code true}/{@code false} key (default false). */
	boolean flag(final String key) {
		final String v = values.get(key);
		if (v == null || v.isEmpty()) return false;
		return switch (v.toLowerCase(Locale.ROOT)) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new InvalidInputException(command + ": " + key + " must be true or false, not '" + v + "'.");
		};
	}

	/** An integer key. */
	int integer(final String key, final int fallback) {
		final String v = values.get(key);
		if (v == null || v.isEmpty()) return fallback;
		try {
			return Integer.parseInt(v.trim());
		}
		catch (final NumberFormatException e) {
			throw new InvalidInputException(command + ": " + key + " must be a whole number, not '" + v + "'.");
		}
	}
}
