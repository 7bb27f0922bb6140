package io.github.unet3p.fiji.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
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

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

import io.github.unet3p.fiji.command.UNet3pCommand;

/**
 * The README's table "Commands and keys" names exactly the commands and keys that
 * {@code ./unet3p --commands} lists: the same {@link CommandRunner} calls, in process, over the
 * plugin's own classes (test-only commands such as {@link EchoTestCommand} are left out).
 *
 * <p>The table has one row per command: {@code | menu label | `key`, `key` (default; choices) … |
 * what it does |}. In the keys column every code span is a key name; defaults and choices are
 * plain text.
 */
class ReadmeCommandsTableTest {

	private static final String SECTION = "## Commands and keys";
	private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

	@Test
	void tableNamesEveryCommandAndKeyAndNothingElse() throws IOException {
		final Map<String, Set<String>> listed = launcherListing();
		assertFalse(listed.isEmpty(), "no UNet3+ command found on the class path");
		final Map<String, Set<String>> table = readmeTable(readme());

		final List<String> problems = new ArrayList<>();
		for (final String command : listed.keySet())
			if (!table.containsKey(command)) problems.add("command missing from the table: " + command + " (keys " + String.join(", ", listed.get(command)) + ")");
		for (final String command : table.keySet())
			if (!listed.containsKey(command)) problems.add("the table names a command that does not exist: " + command);
		for (final Map.Entry<String, Set<String>> e : listed.entrySet()) {
			final Set<String> written = table.get(e.getKey());
			if (written == null) continue;
			final Set<String> missing = new TreeSet<>(e.getValue());
			missing.removeAll(written);
			final Set<String> extra = new TreeSet<>(written);
			extra.removeAll(e.getValue());
			if (!missing.isEmpty()) problems.add(e.getKey() + ": keys missing from the table: " + String.join(", ", missing));
			if (!extra.isEmpty()) problems.add(e.getKey() + ": the table names keys the command does not have: " + String.join(", ", extra));
		}
		assertTrue(problems.isEmpty(), "README.md, section '" + SECTION + "', disagrees with ./unet3p --commands:\n  " + String.join("\n  ", problems));
	}

	@Test
	void tableReaderFindsRowsAndKeysAndRejectsDuplicates() {
		final String text = String.join("\n", "# T", "", SECTION, "", "| command | keys | what it does |", "|---|---|---|",
				"| UNet3+ A | `x` (4; a, b), `y_z` | does `z` |", "| UNet3+ B | | no keys |", "", "## Next", "| UNet3+ C | `q` | |");
		final Map<String, Set<String>> table = readmeTable(text);
		assertTrue(table.keySet().equals(Set.of("UNet3+ A", "UNet3+ B")), table.toString());
		assertTrue(table.get("UNet3+ A").equals(Set.of("x", "y_z")), table.toString());
		assertTrue(table.get("UNet3+ B").isEmpty(), table.toString());
		final String twice = text.replace("| UNet3+ B |", "| UNet3+ A |");
		final AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> readmeTable(twice));
		assertTrue(e.getMessage().contains("UNet3+ A"), e.getMessage());
	}

	/** Menu label to key names, as {@code ./unet3p --commands} prints them, for the plugin's own commands. */
	private static Map<String, Set<String>> launcherListing() {
		final Map<String, Set<String>> listing = new TreeMap<>();
		try (Context context = new Context()) {
			final CommandRunner runner = new CommandRunner(context);
			for (final Map.Entry<String, CommandInfo> e : runner.unet3pCommands().entrySet()) {
				if (!isPluginClass(e.getValue().getClassName())) continue;
				final Set<String> keys = new LinkedHashSet<>();
				for (final ModuleItem<?> item : runner.userInputs(e.getValue()))
					keys.add(item.getName());
				listing.put(e.getKey(), keys);
			}
		}
		return listing;
	}

	/** Whether {@code className} comes from the plugin's classes, not from the test classes. */
	private static boolean isPluginClass(final String className) {
		try {
			final URL location = Class.forName(className).getProtectionDomain().getCodeSource().getLocation();
			return location.equals(UNet3pCommand.class.getProtectionDomain().getCodeSource().getLocation());
		}
		catch (final ClassNotFoundException e) {
			throw new AssertionError("listed command class not loadable: " + className, e);
		}
	}

	private static String readme() throws IOException {
		final Path file = Path.of(System.getProperty("basedir", ".")).resolve("README.md");
		return Files.readString(file, StandardCharsets.UTF_8);
	}

	/** Command to key names, from the rows of the section {@value #SECTION}. */
	static Map<String, Set<String>> readmeTable(final String readme) {
		final Map<String, Set<String>> table = new TreeMap<>();
		boolean inSection = false;
		boolean header = true;
		for (final String raw : readme.split("\n", -1)) {
			final String line = raw.strip();
			if (line.startsWith("## ")) {
				inSection = line.equals(SECTION);
				continue;
			}
			if (!inSection || !line.startsWith("|")) continue;
			if (header) { // the header row, then the |---| row
				if (line.replaceAll("[|:\\-\\s]", "").isEmpty()) header = false;
				continue;
			}
			final String[] cells = line.split("\\|", -1);
			if (cells.length < 3) throw new AssertionError("README table row without a keys column: " + line);
			final String command = cells[1].replace("`", "").replace("*", "").strip();
			final Set<String> keys = new TreeSet<>();
			final Matcher m = CODE_SPAN.matcher(cells[2]);
			while (m.find())
				keys.add(m.group(1).strip());
			if (table.put(command, keys) != null) throw new AssertionError("README table names command " + command + " twice");
		}
		if (table.isEmpty()) throw new AssertionError("README.md has no table under '" + SECTION + "'");
		return table;
	}
}
