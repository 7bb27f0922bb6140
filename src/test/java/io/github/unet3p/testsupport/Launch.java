package io.github.unet3p.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * The one launcher harness of the tests: runs the launcher in this JVM as a user runs
 * {@code ./unet3p --headless ...} (a command with {@code --run "<command>" "key='v',..."}, or any
 * arguments), captures standard output and error, and checks what a refusal must look like: exit
 * status 1, the named file or key and the problem on stderr, no stack trace, no temporary file,
 * earlier results untouched.
 */
public final class Launch {

	/**
	 * What a launcher run returned and printed: its standard output, its standard error (the
	 * commands' log goes there headless), and both interleaved as a user saw them.
	 */
	public record Outcome(int status, String out, String err, String text) {

		/** Asserts a refusal: status 1, every fragment on stderr, one error line, no stack trace. */
		public Outcome refused(final String... fragments) {
			assertEquals(1, status, "exit status of a refused run; stderr:\n" + err);
			for (final String f : fragments)
				assertTrue(err.contains(f), "stderr should contain '" + f + "':\n" + err);
			assertFalse(err.contains("\tat "), "no stack trace for a user error:\n" + err);
			assertFalse(err.contains("internal error"), "a user error is not an internal error:\n" + err);
			assertEquals(1, errorLines(), "one error message:\n" + err);
			return this;
		}

		/** Asserts success (status 0) and returns this for further checks. */
		public Outcome ok() {
			assertEquals(0, status, "exit status; stderr:\n" + err);
			return this;
		}

		/** Lines of stderr that report an error (the command's log line or the launcher's own). */
		public long errorLines() {
			return err.lines().filter(l -> l.contains("[ERROR]") || l.startsWith("unet3p: ")).count();
		}
	}

	private Launch() {}

	/** Runs {@code ./unet3p --headless --run command options} (Fiji syntax) in this JVM. */
	public static Outcome run(final String command, final String options) {
		return launch("--run", command, options);
	}

	/** Runs {@code ./unet3p --headless args...} in this JVM (e.g. {@code -macro file args}). */
	public static Outcome launch(final String... args) {
		final ByteArrayOutputStream outBytes = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream(),
				allBytes = new ByteArrayOutputStream();
		final PrintStream out = new PrintStream(new Tee(outBytes, allBytes), true, StandardCharsets.UTF_8);
		final PrintStream err = new PrintStream(new Tee(errBytes, allBytes), true, StandardCharsets.UTF_8);
		final PrintStream systemOut = System.out, systemErr = System.err;
		final String[] full = new String[args.length + 1];
		full[0] = "--headless";
		System.arraycopy(args, 0, full, 1, args.length);
		System.setOut(out);
		System.setErr(err); // NB: the commands' LogService writes to System.err headless
		final int status;
		try {
			status = Launcher.run(err, full);
		}
		finally {
			System.setOut(systemOut);
			System.setErr(systemErr);
		}
		return new Outcome(status, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8),
				allBytes.toString(StandardCharsets.UTF_8));
	}

	/** Quotes a path for an option value. */
	public static String q(final Path p) {
		return "'" + p + "'";
	}

	/** Asserts that no temporary ({@code .part}) file is left anywhere under {@code root}. */
	public static void assertNoPartFiles(final Path root) throws IOException {
		if (!Files.exists(root)) return;
		try (Stream<Path> files = Files.walk(root)) {
			final List<Path> parts = files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
			assertTrue(parts.isEmpty(), "temporary files left behind: " + parts);
		}
	}

	/** The content digest of every regular file under {@code root}, by relative path. */
	public static Map<String, String> snapshot(final Path root) throws IOException {
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

	/** Writes to two streams at once, under one lock so the interleaved copy keeps the order of writes. */
	private static final class Tee extends OutputStream {

		private final OutputStream one, both;

		Tee(final OutputStream one, final OutputStream both) {
			this.one = one;
			this.both = both;
		}

		@Override
		public void write(final int b) throws IOException {
			synchronized (both) {
				one.write(b);
				both.write(b);
			}
		}

		@Override
		public void write(final byte[] b, final int off, final int len) throws IOException {
			synchronized (both) {
				one.write(b, off, len);
				both.write(b, off, len);
			}
		}
	}
}
