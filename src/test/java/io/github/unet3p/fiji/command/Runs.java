package io.github.unet3p.fiji.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.github.unet3p.fiji.launcher.Launcher;

/** Runs a command through the launcher ({@code --headless --run}) and captures what it printed. */
final class Runs {

	/** Exit status and everything written to stderr and stdout (the log, progress, messages). */
	record Outcome(int status, String text) {}

	private Runs() {}

	static Outcome run(final String command, final String options) {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		final PrintStream err = System.err, out = System.out;
		System.setErr(capture);
		System.setOut(capture);
		try {
			final int status = Launcher.run(capture, "--headless", "--run", command, options);
			return new Outcome(status, bytes.toString(StandardCharsets.UTF_8));
		}
		finally {
			System.setErr(err);
			System.setOut(out);
		}
	}
}
