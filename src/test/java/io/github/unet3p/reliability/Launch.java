package io.github.unet3p.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.unet3p.fiji.launcher.Launcher;

/**
 * Runs a command through the launcher as a user does ({@code --headless --run "<command>"
 * "key='v',..."}) and checks what a refusal must look like: exit status 1, the named file or key
 * and the problem on stderr, no stack trace, no temporary file, earlier results untouched.
 */
final class Launch {

	/** What a launcher run printed and returned. */
	record Outcome(int status, String stderr) {

		/** Asserts a refusal: status 1, every fragment on stderr, one error line, no stack trace. */
		Outcome refused(final String... fragments) {
			assertEquals(1, status, "exit status of a refused run; stderr:\n" + stderr);
			for (final String f : fragments)
				assertTrue(stderr.contains(f), "stderr should contain '" + f + "':\n" + stderr);
			assertFalse(stderr.contains("\tat "), "no stack trace for a user error:\n" + stderr);
			assertFalse(stderr.contains("internal error"), "a user error is not an internal error:\n" + stderr);
			assertEquals(1, errorLines(), "one error message:\n" + stderr);
			return this;
		}

		/** Asserts success (status 0) and returns this for further checks. */
		Outcome ok() {
			assertEquals(0, status, "exit status; stderr:\n" + stderr);
			return this;
		}

		/** Lines that report an error (the command's log line or the launcher's own). */
		long errorLines() {
			return stderr.lines().filter(l -> l.contains("[ERROR]") || l.startsWith("unet3p: ")).count();
		}
	}

	private Launch() {}

	/** Runs {@code command} with {@code options} (Fiji syntax) and captures stderr. */
	static Outcome run(final String command, final String options) {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		final PrintStream systemErr = System.err;
		System.setErr(err); // NB: the commands' LogService writes to System.err headless
		try {
			final int status = Launcher.run(err, "--headless", "--run", command, options);
			return new Outcome(status, bytes.toString(StandardCharsets.UTF_8));
		}
		finally {
			System.setErr(systemErr);
		}
	}

	/** Quotes a path for an option value. */
	static String q(final Path p) {
		return "'" + p + "'";
	}

	/** Asserts that no temporary ({@code .part}) file is left anywhere under {@code root}. */
	static void assertNoPartFiles(final Path root) throws IOException {
		if (!Files.exists(root)) return;
		try (Stream<Path> files = Files.walk(root)) {
			final List<Path> parts = files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
			assertTrue(parts.isEmpty(), "temporary files left behind: " + parts);
		}
	}

	/** The content digest of every regular file under {@code root}, by relative path. */
	static Map<String, String> snapshot(final Path root) throws IOException {
		final Map<String, String> map = new TreeMap<>();
		if (!Files.exists(root)) return map;
		try (Stream<Path> files = Files.walk(root)) {
			for (final Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator)
				map.put(root.relativize(p).toString(), digest(Files.readAllBytes(p)));
		}
		return map;
	}

	private static String digest(final byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
