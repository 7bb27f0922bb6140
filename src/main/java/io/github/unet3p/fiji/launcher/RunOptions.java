package io.github.unet3p.fiji.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Parses Fiji's {@code --run} option string, {@code key='value',key2=3,flag=true}, into an
 * ordered map of key to text. Values are single- or double-quoted (a quote inside is doubled or
 * backslash-escaped) or bare up to the next comma. ImageJ macro style
 * ({@code key=[value] key2=3}) is accepted too, so a recorded macro line can be pasted.
 *
 * <p>NB: values stay text here; the command's declared parameter type decides the conversion, as
 * it does in Fiji.
 */
public final class RunOptions {

	private RunOptions() {}

	/** Parses {@code text}; an empty string gives an empty map. */
	public static Map<String, String> parse(final String text) {
		final Map<String, String> map = new LinkedHashMap<>();
		int i = 0;
		final int n = text.length();
		while (true) {
			while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i))))
				i++;
			if (i >= n) return map;
			final int keyStart = i;
			while (i < n && text.charAt(i) != '=' && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i)))
				i++;
			final String key = text.substring(keyStart, i);
			if (key.isEmpty()) throw new InvalidInputException("Option string has an empty key at position " + keyStart + ": " + text);
			if (i >= n || text.charAt(i) != '=') {
				// A bare word is a checked box, as in ImageJ macros ("resume" = "resume=true").
				put(map, key, "true");
				continue;
			}
			i++;
			final StringBuilder value = new StringBuilder();
			if (i < n && (text.charAt(i) == '\'' || text.charAt(i) == '"' || text.charAt(i) == '[')) {
				final char open = text.charAt(i);
				final char close = open == '[' ? ']' : open;
				i++;
				boolean closed = false;
				while (i < n) {
					final char c = text.charAt(i);
					if (c == '\\' && open != '[' && i + 1 < n) {
						value.append(text.charAt(i + 1));
						i += 2;
					}
					else if (c == close) {
						if (open != '[' && i + 1 < n && text.charAt(i + 1) == close) {
							value.append(c);
							i += 2;
						}
						else {
							i++;
							closed = true;
							break;
						}
					}
					else {
						value.append(c);
						i++;
					}
				}
				if (!closed) throw new InvalidInputException("The value of key '" + key + "' has no closing " + close + " in: " + text);
			}
			else {
				while (i < n && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i)))
					value.append(text.charAt(i++));
			}
			put(map, key, value.toString());
		}
	}

	private static void put(final Map<String, String> map, final String key, final String value) {
		if (map.put(key, value) != null) throw new InvalidInputException("Key '" + key + "' is given twice.");
	}
}
