package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.testsupport.FijiRun;
import io.github.unet3p.testsupport.Launch;

/**
 * The commands as Fiji runs them from a command line ({@code fiji --headless --run "<command>"
 * "<options>"}): SciJava's own {@code ConsoleService} and {@code StartupService} in a JVM of
 * their own, with remembered values ({@code java.util.prefs}) kept in the test's folder across
 * runs ({@link FijiRun}). README's headless lines run verbatim but for paths and sizes; a value
 * remembered from one run never replaces what the next run did not ask for; and what Fiji does
 * with a failure, an unknown key and its quoting is what README and docs/fiji.md say.
 */
class FijiRunTest {

	@TempDir
	static Path tmp;

	static Path lits;

	@BeforeAll
	static void tinyLitsData() {
		lits = tmp.resolve("lits");
		final String[][] splits = { { "train", "2", "11" }, { "validation", "1", "12" }, { "test", "2", "13" } };
		for (final String[] s : splits)
			Launch.run("UNet3+ Synthetic CT", "output='" + lits.resolve(s[0]) + "',count=" + s[1] + ",size=32,slices=4,seed=" + s[2]).ok();
	}

	private static FijiRun fiji(final String name) throws IOException {
		final Path dir = Files.createDirectories(tmp.resolve(name));
		return new FijiRun(dir.resolve("prefs"), dir.resolve("status.txt"));
	}

	@Test
	void readmesHeadlessLinesRunThroughFijisRunHandling() throws Exception {
		final FijiRun fiji = fiji("readme");
		final Path out = tmp.resolve("readme-out");
		final List<String> lines = readmeRunLines();
		assertEquals(List.of("UNet3+ Preprocess", "UNet3+ Preprocess", "UNet3+ Train", "UNet3+ Segment Files", "UNet3+ Evaluate"),
				lines.stream().map(l -> FijiRun.words(l).get(3)).toList(), "README's headless chain");
		for (final String line : lines) {
			final String small = small(line, out);
			final List<String> words = FijiRun.words(small);
			assertEquals("./unet3p", words.get(0), line);
			fiji.clearStatus();
			final FijiRun.Outcome o = fiji.fiji(words.subList(1, words.size()).toArray(String[]::new));
			assertTrue(o.launched(), small + "\n" + o.text());
			assertEquals("ok", fiji.status(), small + "\n" + o.text());
			assertFalse(o.text().contains("Unmatched input"), "every README key is a key of its command: " + small + "\n" + o.text());
		}
		assertTrue(Files.isRegularFile(out.resolve("m/unet3p.json")), "Train wrote the model");
		assertTrue(Files.isRegularFile(out.resolve("labels/segmentation-0.nii.gz")), "Segment Files wrote the labels");
		final List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
		assertTrue(csv.get(0).startsWith("case,dice"), csv.toString());
		assertEquals(2, csv.stream().filter(l -> l.matches("^[^,]*\\b[01]\\b.*")).count(), "one row per test case: " + csv);
	}

	@Test
	void aRememberedOverwriteIsNotUsedByTheNextRunWhichRefusesAndChangesNothing() throws Exception {
		final FijiRun fiji = fiji("overwrite");
		final Path out = tmp.resolve("overwrite-out");
		final String options = "input='" + lits.resolve("train") + "',output='" + out + "',size=32";
		assertEquals("ok", run(fiji, "UNet3+ Preprocess", options));
		assertEquals("ok", run(fiji, "UNet3+ Preprocess", options + ",overwrite=true"), "overwrite=true replaces the slices");
		final String remembered = remembered(fiji, "PreprocessCommand");
		assertTrue(remembered.contains("key=\"size\" value=\"32\""), "Fiji remembers a setting between runs: " + remembered);
		assertFalse(remembered.contains("key=\"overwrite\""), "but never overwrite: " + remembered);
		final Map<String, String> bytes = Launch.snapshot(out);
		final Map<String, FileTime> times = mtimes(out);
		assertFalse(bytes.isEmpty());
		final String refused = run(fiji, "UNet3+ Preprocess", options);
		assertTrue(refused.startsWith("failed: ") && refused.contains("overwrite"), refused);
		assertEquals(bytes, Launch.snapshot(out), "the refused run changed no slice");
		assertEquals(times, mtimes(out), "the refused run touched no slice");
	}

	@Test
	void fijiExitsZeroWhenACommandFailsAndTheStatusFileSaysSo() throws Exception {
		final FijiRun fiji = fiji("failures");
		final Path x = tmp.resolve("failures-out");
		final FijiRun.Outcome missing = fiji.fiji("--headless", "--run", "UNet3+ Preprocess", "input='" + tmp.resolve("nowhere") + "',output='" + x + "'");
		assertEquals(0, missing.status(), "Fiji's exit status says nothing:\n" + missing.text());
		assertTrue(fiji.status().startsWith("failed: ") && fiji.status().contains("nowhere"), fiji.status());
		assertTrue(missing.text().contains("nowhere"), "the message is logged:\n" + missing.text());
		// A key left out takes the value remembered from the last run, even a required one of a run that failed.
		assertEquals("ok", run(fiji, "UNet3+ Preprocess", "input='" + lits.resolve("train") + "'"));
		assertTrue(Files.isDirectory(x.resolve("images")), "the remembered output was used");
		final FijiRun fresh = fiji("unset");
		final FijiRun.Outcome unset = fresh.fiji("--headless", "--run", "UNet3+ Preprocess", "input='" + lits.resolve("train") + "'");
		assertEquals(0, unset.status(), unset.text());
		assertEquals("failed: UNet3+ Preprocess: 'output' is required but unset.", fresh.status(), unset.text());
	}

	@Test
	void fijiRunsNothingForAnUnknownKeyOrAnUnquotedWordAndKeepsBackslashes() throws Exception {
		final FijiRun fiji = fiji("syntax");
		final Path out = tmp.resolve("syntax-out");
		final FijiRun.Outcome unknown = fiji.fiji("--headless", "--run", "UNet3+ Synthetic CT", "output='" + out.resolve("a") + "',count=1,size=32,slices=1,sise=3");
		assertEquals(0, unknown.status(), unknown.text());
		assertTrue(unknown.text().contains("Unmatched input: sise") && unknown.text().contains("No such input: sise"), unknown.text());
		assertNull(fiji.status(), "the command does not start:\n" + unknown.text());
		assertFalse(Files.exists(out.resolve("a")), unknown.text());
		final FijiRun.Outcome word = fiji.fiji("--headless", "--run", "UNet3+ Synthetic CT", "output='" + out.resolve("b") + "',count=1,size=32,slices=1,spacing=wide");
		assertEquals(0, word.status(), word.text());
		assertNull(fiji.status(), "an unquoted word stops the line before the command starts:\n" + word.text());
		assertFalse(Files.exists(out.resolve("b")), word.text());
		final FijiRun.Outcome backslash = fiji.fiji("--headless", "--run", "UNet3+ Synthetic CT", "output='" + out.resolve("c") + "\\d',count=1,size=32,slices=1");
		assertEquals("ok", fiji.status(), backslash.text());
		assertTrue(Files.isDirectory(out.resolve("c\\d")), "a backslash in '…' is kept as written:\n" + backslash.text());
	}

	@Test
	void theLauncherRemembersNothing() throws Exception {
		final FijiRun launcher = fiji("launcher");
		final String options = "output='" + tmp.resolve("launcher-out") + "',count=1,size=32,slices=1,seed=9";
		final FijiRun.Outcome ok = launcher.fork(List.of("-Djava.awt.headless=true"), "io.github.unet3p.fiji.launcher.Launcher", "--headless", "--run", "UNet3+ Synthetic CT", options);
		assertEquals(0, ok.status(), ok.text());
		assertEquals("ok", launcher.status());
		assertEquals(List.of(), prefsFiles(launcher), "the launcher wrote remembered values");
		final FijiRun fiji = fiji("remembering");
		assertEquals("ok", run(fiji, "UNet3+ Synthetic CT", options.replace("launcher-out", "remembering-out")));
		assertTrue(remembered(fiji, "SyntheticCtCommand").contains("key=\"seed\" value=\"9\""), "Fiji does remember: " + prefsFiles(fiji));
	}

	/** Runs {@code fiji --headless --run command options}; returns the status file's line. */
	private static String run(final FijiRun fiji, final String command, final String options) throws IOException, InterruptedException {
		fiji.clearStatus();
		final FijiRun.Outcome o = fiji.fiji("--headless", "--run", command, options);
		assertEquals(0, o.status(), o.text());
		assertTrue(o.launched(), o.text());
		final String status = fiji.status();
		assertTrue(status != null, "no status line:\n" + o.text());
		return status;
	}

	/** The README's {@code ./unet3p --headless --run} lines. */
	private static List<String> readmeRunLines() throws IOException {
		final String readme = Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("README.md"), StandardCharsets.UTF_8);
		return readme.lines().filter(l -> l.startsWith("./unet3p --headless --run ")).toList();
	}

	/** A README line with the test's folders and a tiny network; fails when the line has no such part. */
	private static String small(final String line, final Path out) {
		String s = line;
		for (final String[] r : new String[][] { { "'/tmp/", "'" + out + "/" }, { "'sample-data/lits", "'" + lits }, { "size=128", "size=32" },
				{ "filters=16", "filters=2" }, { "epochs=8", "epochs=1" } }) {
			if (r[0].equals("'/tmp/")) assertTrue(s.contains(r[0]), "README line without " + r[0] + ": " + line);
			s = s.replace(r[0], r[1]);
		}
		return s;
	}

	/** The remembered values SciJava stored for a command class (java.util.prefs' XML). */
	private static String remembered(final FijiRun fiji, final String commandClass) throws IOException {
		for (final Path p : prefsFiles(fiji))
			if (p.getParent().getFileName().toString().equals(commandClass)) return Files.readString(p);
		throw new AssertionError("nothing remembered for " + commandClass + ": " + prefsFiles(fiji));
	}

	private static List<Path> prefsFiles(final FijiRun fiji) throws IOException {
		if (!Files.exists(fiji.prefs())) return List.of();
		try (Stream<Path> files = Files.walk(fiji.prefs())) {
			return new ArrayList<>(files.filter(p -> p.getFileName().toString().equals("prefs.xml") && p.toString().contains("unet3p")).toList());
		}
	}

	private static Map<String, FileTime> mtimes(final Path root) throws IOException {
		final Map<String, FileTime> map = new TreeMap<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (final Path p : (Iterable<Path>) files::iterator)
				map.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
		}
		return map;
	}
}
