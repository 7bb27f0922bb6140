package io.github.unet3p.fiji.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.macro.Interpreter;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.macro.CommandBridge;

/**
 * Runs an ImageJ 1.x macro file with ImageJ's own interpreter, its {@code run("UNet3+ ...")}
 * calls served by {@link CommandBridge}. The macro's argument is what {@code getArgument()}
 * returns.
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
		interpreter.run(text, argument);
		if (CommandBridge.failure() != null) return 1;
		if (interpreter.wasError()) {
			err.println("unet3p: macro " + path.getFileName() + " stopped: " + interpreter.getErrorMessage());
			return 1;
		}
		return 0;
	}
}
