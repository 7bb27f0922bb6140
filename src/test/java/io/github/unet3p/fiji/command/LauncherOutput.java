package io.github.unet3p.fiji.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.github.unet3p.fiji.launcher.Launcher;

/** Runs the launcher with standard output and error captured. */
final class LauncherOutput {

	final int status;
	final String out;
	final String err;

	private LauncherOutput(final int status, final String out, final String err) {
		this.status = status;
		this.out = out;
		this.err = err;
	}

	/** Runs {@code ./unet3p --headless --run command options} in this JVM. */
	static LauncherOutput run(final String command, final String options) {
		final ByteArrayOutputStream outBytes = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream();
		final PrintStream stdout = System.out, stderr = System.err;
		final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8), err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
		final int status;
		System.setOut(out);
		System.setErr(err);
		try {
			status = Launcher.run(err, "--headless", "--run", command, options);
		}
		finally {
			System.setOut(stdout);
			System.setErr(stderr);
		}
		return new LauncherOutput(status, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
	}
}
