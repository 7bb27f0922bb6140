package io.github.unet3p.fiji.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.Macro;
import ij.macro.Interpreter;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.macro.CommandBridge;

/**
 * Runs an ImageJ 1.x macro file with ImageJ's own interpreter, its {@code run("UNet3+ ...")}
 * calls served by {@link CommandBridge}. The macro's argument is what {@code getArgument()}
 * returns. The exit status is 1 when a command failed (the macro stops there) or the macro has an
 * error; {@code exit()} ends the macro normally, as in Fiji.
 */
final class MacroRunner {

	private MacroRunner() {}

	/** Runs {@code file} with {@code argument}; returns 0 when it ran through without an error. */
	static int run(final CommandRunner runner, final String file, final String argument, final PrintStream err) {
		final Path path = Path.of(file);
		if (!Files.isRegularFile(path)) throw new InvalidInputException("Macro file not found: " + path.toAbsolutePath());
		final String text;
		try {
			text = Files.readString(path);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read macro " + path + ": " + e.getMessage());
		}
		CommandBridge.install(runner);
		Interpreter.batchMode = true;
		final Interpreter interpreter = new Interpreter();
		// Errors are recorded instead of shown in a dialog (there is no screen).
		interpreter.setIgnoreErrors(true);
		try {
			interpreter.run(text, argument);
		}
		catch (final RuntimeException e) {
			// exit() in the macro, or a command that failed, ends the macro this way.
			if (!Macro.MACRO_CANCELED.equals(e.getMessage())) throw e;
		}
		if (CommandBridge.failure() != null) return 1;
		if (interpreter.wasError() || interpreter.getErrorMessage() != null) {
			err.println("unet3p: macro " + path.getFileName() + " stopped: " + interpreter.getErrorMessage());
			return 1;
		}
		return 0;
	}
}
