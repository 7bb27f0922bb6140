package io.github.unet3p.fiji.launcher;

import java.io.PrintStream;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * The {@code ./unet3p} entry point: starts a SciJava context and runs one command (Fiji's
 * {@code --run} syntax) or one ImageJ macro ({@code -macro}), then exits 0 on success, 1 when the
 * command failed and 2 for a malformed command line.
 *
 * <p>NB: a user error prints its message alone on stderr; only a bug prints a stack trace.
 */
public final class Launcher {

	private Launcher() {}

	/** Runs the launcher and exits the JVM with its status. */
	public static void main(final String... args) {
		final int status = run(System.err, args);
		System.exit(status);
	}

	/** Runs the launcher, reporting to {@code err}; returns the exit status. */
	public static int run(final PrintStream err, final String... args) {
		final CommandLine line;
		try {
			line = CommandLine.parse(args);
		}
		catch (final InvalidInputException e) {
			err.println("unet3p: " + e.getMessage());
			return 2;
		}
		if (line.headless) System.setProperty("java.awt.headless", "true");
		if (line.action == CommandLine.Action.HELP) {
			System.out.println(CommandLine.USAGE);
			return 0;
		}
		try (Context context = new Context()) {
			final CommandRunner runner = new CommandRunner(context);
			switch (line.action) {
				case LIST:
					listCommands(runner);
					return 0;
				case MACRO:
					return MacroRunner.run(runner, line.target, line.arguments, err);
				default:
					runner.run(line.target, RunOptions.parse(line.arguments));
					return 0;
			}
		}
		catch (final CommandRunner.CommandFailedException e) {
			// The command has already logged its message (to stderr headless, to the log in Fiji).
			return 1;
		}
		catch (final InvalidInputException e) {
			err.println("unet3p: " + e.getMessage());
			return 1;
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			err.println("unet3p: interrupted");
			return 1;
		}
		catch (final RuntimeException | Error e) {
			err.println("unet3p: internal error (please report it with this trace):");
			e.printStackTrace(err);
			return 1;
		}
	}

	private static void listCommands(final CommandRunner runner) {
		for (final Map.Entry<String, CommandInfo> e : runner.unet3pCommands().entrySet()) {
			System.out.println(e.getKey() + "  (" + e.getValue().getClassName() + ")");
			for (final ModuleItem<?> item : runner.userInputs(e.getValue())) {
				final String d = item.getDescription();
				System.out.println("    " + item.getName() + " : " + item.getType().getSimpleName() + (d == null || d.isEmpty() ? "" : " — " + d));
			}
		}
	}
}
