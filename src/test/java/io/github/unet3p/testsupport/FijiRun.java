package io.github.unet3p.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.unet3p.fiji.command.StatusFile;

/**
 * Runs a command line the way Fiji runs it, in a JVM of its own ({@link FijiRunMain}: SciJava's
 * {@code ConsoleService} and {@code StartupService}, as ImageJ2's {@code main}), with
 * {@code java.util.prefs} rooted in a folder of the test's, so that what SciJava remembers between
 * runs ({@code PrefService}, which stores through {@code java.util.prefs}) is kept across runs of
 * one test and never reaches the user's own preferences. A status file is asked for with
 * {@value StatusFile#ENV}.
 */
public final class FijiRun {

	/** Printed by {@link FijiRunMain} once the gateway's launch returned. */
	static final String ENDED = "[fiji-run] launch returned";

	private final Path prefs;
	private final Path statusFile;

	/** A Fiji whose remembered values live under {@code prefs}; commands report to {@code statusFile}. */
	public FijiRun(final Path prefs, final Path statusFile) {
		this.prefs = prefs;
		this.statusFile = statusFile;
	}

	/** What a run returned and printed (stdout and stderr interleaved). */
	public record Outcome(int status, String text) {

		/** Whether SciJava's launch returned (the JVM did not die first). */
		public boolean launched() {
			return text.contains(ENDED);
		}
	}

	/** The status file's line, or {@code null} when no command wrote it. */
	public String status() throws IOException {
		return Files.exists(statusFile) ? Files.readString(statusFile, StandardCharsets.UTF_8).strip() : null;
	}

	/** Removes the status file, so that the next run's line is the only one read. */
	public void clearStatus() throws IOException {
		Files.deleteIfExists(statusFile);
	}

	/** The folder that holds the remembered values. */
	public Path prefs() {
		return prefs;
	}

	/** Runs Fiji with {@code args} (e.g. {@code --headless --run "UNet3+ …" "key='v',…"}). */
	public Outcome fiji(final String... args) throws IOException, InterruptedException {
		return fork(List.of(), FijiRunMain.class.getName(), args);
	}

	/**
	 * Runs {@code mainClass} with {@code args} in a fresh JVM with {@code jvm} options and the
	 * test class path, {@code java.util.prefs} rooted in {@link #prefs()}.
	 */
	public Outcome fork(final List<String> jvm, final String mainClass, final String... args) throws IOException, InterruptedException {
		final List<String> cmd = new ArrayList<>();
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.add("-Xmx2g");
		cmd.add("-Dai.djl.offline=true");
		cmd.add("-Djava.util.prefs.userRoot=" + prefs);
		cmd.add("-Djava.util.prefs.systemRoot=" + prefs.resolveSibling(prefs.getFileName() + "-system"));
		cmd.addAll(jvm);
		cmd.add("-cp");
		cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
		cmd.add(mainClass);
		cmd.addAll(List.of(args));
		final Path log = Files.createTempFile(prefs.getParent(), "fiji-run", ".log");
		final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
		final Map<String, String> env = pb.environment();
		env.put(StatusFile.ENV, statusFile.toString());
		env.put("OMP_NUM_THREADS", "1");
		env.remove("DISPLAY");
		final Process p = pb.start();
		final boolean ended = p.waitFor(5, TimeUnit.MINUTES);
		if (!ended) p.destroyForcibly().waitFor();
		final String text = Files.readString(log, StandardCharsets.UTF_8);
		if (!ended) throw new AssertionError("did not end within 5 minutes: " + cmd + "\n" + text);
		return new Outcome(p.exitValue(), text);
	}

	/**
	 * Splits a shell command line as bash does for the README's lines: words separated by blanks,
	 * {@code "…"} and {@code '…'} quoting (no variables, no escapes inside single quotes).
	 */
	public static List<String> words(final String line) {
		final List<String> words = new ArrayList<>();
		final StringBuilder word = new StringBuilder();
		boolean inWord = false;
		for (int i = 0; i < line.length(); i++) {
			final char c = line.charAt(i);
			if (c == '"' || c == '\'') {
				final int close = line.indexOf(c, i + 1);
				if (close < 0) throw new IllegalArgumentException("unclosed " + c + " in: " + line);
				word.append(line, i + 1, close);
				inWord = true;
				i = close;
			}
			else if (Character.isWhitespace(c)) {
				if (inWord) words.add(word.toString());
				word.setLength(0);
				inWord = false;
			}
			else {
				word.append(c);
				inWord = true;
			}
		}
		if (inWord) words.add(word.toString());
		return words;
	}
}
