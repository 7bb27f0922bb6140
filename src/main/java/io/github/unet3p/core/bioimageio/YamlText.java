package io.github.unet3p.core.bioimageio;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a tree of maps, lists and scalars as block-style YAML: the subset a bioimage.io
 * {@code rdf.yaml} needs, readable by YAML 1.1 (SnakeYAML, JDLL) and YAML 1.2 (ruamel, bioimageio.spec)
 * readers alike.
 *
 * <p>Maps are {@link Map}s with {@link String} keys (written in iteration order: pass a
 * {@code LinkedHashMap}), lists are {@link List}s, scalars are {@link String}, {@link Integer},
 * {@link Long}, {@link Double}, {@link Float} and {@link Boolean}.
 *
 * <p>NB: every string is written double-quoted with JSON escapes (a valid YAML double-quoted
 * scalar), so no text ever turns into a number, a boolean, a date or {@code null} in either YAML
 * version ({@code format_version: "0.5.7"}, {@code timestamp: "…"}, {@code license: "…"}).
 * Keys must be identifiers; they are written plain, except the words YAML 1.1 reads as booleans or
 * null ({@code yes}, {@code on}, {@code null}, …), which are quoted. Doubles are written with Java's shortest
 * round-trip form, which both YAML versions read as floats (it always has a dot).
 */
public final class YamlText {

	/** Plain words YAML 1.1 reads as booleans or null: written quoted when they are keys. */
	private static final java.util.Set<String> RESERVED = java.util.Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

	private YamlText() {}

	/**
	 * The YAML document of {@code root}.
	 *
	 * @throws IllegalArgumentException for a key that is no identifier, a non-finite number, or a
	 *             value of another type
	 */
	public static String of(final Map<String, ?> root) {
		final StringBuilder out = new StringBuilder();
		map(root, 0, out);
		return out.toString();
	}

	private static void map(final Map<String, ?> m, final int indent, final StringBuilder out) {
		for (final Map.Entry<String, ?> e : m.entrySet()) {
			if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("YAML key '" + e.getKey() + "' is no identifier");
			pad(indent, out).append(RESERVED.contains(e.getKey().toLowerCase(Locale.ROOT)) ? quoted(e.getKey()) : e.getKey()).append(':');
			value(e.getValue(), indent, out);
		}
	}

	/** Writes a value after "key:" or "- " (the caller has written that prefix). */
	private static void value(final Object v, final int indent, final StringBuilder out) {
		if (v instanceof Map<?, ?> m && !m.isEmpty()) {
			out.append('\n');
			map(cast(m), indent + 2, out);
		}
		else if (v instanceof List<?> l && !l.isEmpty()) {
			out.append('\n');
			for (final Object item : l) {
				pad(indent, out).append("- ");
				if (item instanceof Map<?, ?> m && !m.isEmpty()) {
					// first entry on the dash's line, the others aligned with it
					final StringBuilder nested = new StringBuilder();
					map(cast(m), indent + 2, nested);
					out.append(nested.substring(indent + 2));
				}
				else if (item instanceof List<?> inner && !inner.isEmpty()) throw new IllegalArgumentException("nested lists are not written");
				else out.append(scalar(item)).append('\n');
			}
		}
		else out.append(' ').append(scalar(v)).append('\n');
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> cast(final Map<?, ?> m) {
		return (Map<String, ?>) m;
	}

	private static StringBuilder pad(final int indent, final StringBuilder out) {
		for (int i = 0; i < indent; i++)
			out.append(' ');
		return out;
	}

	/** A scalar, an empty map ({@code {}}) or an empty list ({@code []}). */
	static String scalar(final Object v) {
		if (v instanceof Map<?, ?>) return "{}";
		if (v instanceof List<?>) return "[]";
		if (v instanceof String s) return quoted(s);
		if (v instanceof Boolean b) return b.toString();
		if (v instanceof Integer || v instanceof Long) return v.toString();
		if (v instanceof Double || v instanceof Float) {
			final double d = ((Number) v).doubleValue();
			if (!Double.isFinite(d)) throw new IllegalArgumentException("YAML value " + d + " is not finite");
			final String s = v instanceof Float f ? Float.toString(f) : Double.toString(d);
			return s.toLowerCase(Locale.ROOT).replace("e", s.contains("E-") ? "e" : "e+").replace("e+-", "e-");
		}
		throw new IllegalArgumentException("YAML value of type " + (v == null ? "null" : v.getClass().getSimpleName()) + " is not written");
	}

	private static String quoted(final String s) {
		final StringBuilder b = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			final char c = s.charAt(i);
			switch (c) {
				case '"' -> b.append("\\\"");
				case '\\' -> b.append("\\\\");
				case '\n' -> b.append("\\n");
				case '\t' -> b.append("\\t");
				case '\r' -> b.append("\\r");
				default -> {
					if (c < 0x20) b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
					else b.append(c);
				}
			}
		}
		return b.append('"').toString();
	}
}
