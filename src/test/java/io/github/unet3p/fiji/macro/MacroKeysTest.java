package io.github.unet3p.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.scijava.module.ModuleItem;

import io.github.unet3p.testsupport.PluginCommands;

/**
 * Every {@code run("UNet3+ …", options)} in {@code macros/*.ijm} and in README.md passes every key
 * of its command, as {@code ./unet3p --commands} lists them, and no key the command lacks: in Fiji
 * a key left out takes the value last used in the command's dialog.
 *
 * <p>The options are read from the macro text: the string literals of the option expression (or,
 * when it is a variable, of the variable's last assignment before the call), joined; a key is a
 * word directly followed by {@code =} at the start or after a space or {@code ]}.
 */
class MacroKeysTest {

	private static final Pattern KEY = Pattern.compile("(?:^|[\\s\\]])([a-z][a-z0-9_]*)=");
	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/** One {@code run(...)} call: the command's label and the keys its options name. */
	record Call(String command, Set<String> keys) {}

	@Test
	void everyRunOfAUNet3pCommandPassesEveryKey() throws IOException {
		final Path root = Path.of(System.getProperty("basedir", "."));
		final Map<String, Set<String>> declared = new TreeMap<>();
		PluginCommands.keys().forEach((label, items) -> declared.put(label, names(items)));
		final List<Path> files = new ArrayList<>();
		try (Stream<Path> macros = Files.list(root.resolve("macros"))) {
			macros.filter(p -> p.toString().endsWith(".ijm")).sorted().forEach(files::add);
		}
		files.add(root.resolve("README.md"));
		final List<String> problems = new ArrayList<>();
		int calls = 0;
		for (final Path file : files) {
			final List<Call> found = calls(Files.readString(file, StandardCharsets.UTF_8));
			calls += found.size();
			problems.addAll(check(root.relativize(file).toString(), found, declared));
		}
		assertTrue(calls >= 10, "the parser found only " + calls + " run(\"UNet3+ …\") calls in " + files);
		assertTrue(problems.isEmpty(), String.join("\n", problems));
	}

	@Test
	void theCheckNamesTheMacroTheCommandAndTheMissingKey() {
		final String macro = String.join("\n", "a = \"x\";", "run(\"UNet3+ T\", \"one=[\" + a + \"] two=\" + f(args, \"two\", \"3\"));",
				"opts = \"one=1\";", "opts = opts + \" three=\" + b;", "run(\"UNet3+ T\", opts);", "run(\"Other\", \"x=1\");");
		final List<Call> calls = calls(macro);
		assertEquals(List.of(new Call("UNet3+ T", Set.of("one", "two")), new Call("UNet3+ T", Set.of("one", "three"))), calls);
		final List<String> problems = check("m.ijm", calls, Map.of("UNet3+ T", new LinkedHashSet<>(List.of("one", "two", "three"))));
		assertEquals(2, problems.size(), problems.toString());
		assertTrue(problems.get(0).contains("m.ijm") && problems.get(0).contains("UNet3+ T") && problems.get(0).contains("three"), problems.get(0));
		assertTrue(problems.get(1).contains("two"), problems.get(1));
		assertFalse(check("m.ijm", List.of(new Call("UNet3+ Nope", Set.of())), Map.of()).isEmpty(), "an unknown command is reported");
	}

	private static Set<String> names(final List<ModuleItem<?>> items) {
		final Set<String> names = new LinkedHashSet<>();
		for (final ModuleItem<?> item : items)
			names.add(item.getName());
		return names;
	}

	private static List<String> check(final String file, final List<Call> calls, final Map<String, Set<String>> declared) {
		final List<String> problems = new ArrayList<>();
		for (final Call call : calls) {
			final Set<String> keys = declared.get(call.command());
			if (keys == null) {
				problems.add(file + ": run(\"" + call.command() + "\") names a command SciJava does not list");
				continue;
			}
			final Set<String> missing = new TreeSet<>(keys);
			missing.removeAll(call.keys());
			final Set<String> unknown = new TreeSet<>(call.keys());
			unknown.removeAll(keys);
			if (!missing.isEmpty()) problems.add(file + ": run(\"" + call.command() + "\") leaves out " + String.join(", ", missing));
			if (!unknown.isEmpty()) problems.add(file + ": run(\"" + call.command() + "\") names keys the command does not have: " + String.join(", ", unknown));
		}
		return problems;
	}

	/** The {@code run("UNet3+ …", …)} calls of a macro text, in order. */
	static List<Call> calls(final String text) {
		final List<Call> calls = new ArrayList<>();
		final String opening = "run(\"UNet3+ ";
		for (int at = text.indexOf(opening); at >= 0; at = text.indexOf(opening, at + 1)) {
			final int labelEnd = text.indexOf('"', at + 5);
			final String command = text.substring(at + 5, labelEnd);
			int i = labelEnd + 1;
			while (Character.isWhitespace(text.charAt(i))) i++;
			if (text.charAt(i) != ',') {
				calls.add(new Call(command, Set.of()));
				continue;
			}
			String expression = text.substring(i + 1, end(text, i + 1, ')')).strip();
			if (IDENTIFIER.matcher(expression).matches()) expression = assignments(text.substring(0, at), expression);
			calls.add(new Call(command, keys(expression)));
		}
		return calls;
	}

	/** The joined right-hand sides of every assignment {@code name = …;} in {@code before}. */
	private static String assignments(final String before, final String name) {
		final StringBuilder all = new StringBuilder();
		final Matcher m = Pattern.compile("(?m)^\\s*" + name + "\\s*=(?!=)").matcher(before);
		while (m.find()) {
			final String rhs = before.substring(m.end(), end(before, m.end(), ';'));
			// "x = x + ..." extends the earlier value; any other assignment replaces it.
			if (!rhs.strip().startsWith(name + " ") && !rhs.strip().startsWith(name + "+")) all.setLength(0);
			all.append(rhs).append(' ');
		}
		if (all.length() == 0) throw new AssertionError("options variable '" + name + "' is never assigned before its run(...)");
		return all.toString();
	}

	/** The index of the first {@code stop} at bracket depth 0 from {@code from}, outside string literals. */
	private static int end(final String text, final int from, final char stop) {
		int depth = 0;
		for (int i = from; i < text.length(); i++) {
			final char c = text.charAt(i);
			if (c == '"') i = closingQuote(text, i);
			else if (c == stop && depth == 0) return i;
			else if (c == '(' || c == '[') depth++;
			else if (c == ')' || c == ']') depth--;
		}
		throw new AssertionError("unterminated expression at: " + text.substring(from, Math.min(text.length(), from + 80)));
	}

	private static int closingQuote(final String text, final int open) {
		for (int i = open + 1; i < text.length(); i++) {
			if (text.charAt(i) == '\\') i++;
			else if (text.charAt(i) == '"') return i;
		}
		throw new AssertionError("unterminated string literal at: " + text.substring(open, Math.min(text.length(), open + 80)));
	}

	/** The keys named by the string literals of {@code expression}. */
	private static Set<String> keys(final String expression) {
		final StringBuilder literals = new StringBuilder();
		for (int i = 0; i < expression.length(); i++) {
			if (expression.charAt(i) != '"') continue;
			final int close = closingQuote(expression, i);
			literals.append(expression, i + 1, close).append(' ');
			i = close;
		}
		final Set<String> keys = new LinkedHashSet<>();
		final Matcher m = KEY.matcher(literals);
		while (m.find())
			keys.add(m.group(1));
		return keys;
	}
}
