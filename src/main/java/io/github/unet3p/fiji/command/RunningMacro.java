package io.github.unet3p.fiji.command;

import java.awt.GraphicsEnvironment;

import ij.Macro;
import ij.macro.Interpreter;

/**
 * Stops the ImageJ 1.x macro that called a failed command, so that its next {@code run(...)} does
 * not start on missing inputs. In Fiji a macro's {@code run("UNet3+ ...")} reaches the command
 * through imagej-legacy, which runs it on a SciJava thread while the macro thread waits; the
 * launcher's macro bridge ({@code CommandBridge}) does the same.
 *
 * <p>NB: ImageJ's own way for a plugin is {@link Macro#abort()}, which only works on the macro's
 * thread (it throws there); from the command's thread the interpreter is told directly with
 * {@link Interpreter#abort(String)}: with a display it shows ImageJ's "Macro Error" dialog with
 * the message and the macro's line, headless it ends the macro without a dialog, and either way
 * the macro stops before its next statement. ImageJ keeps one running interpreter
 * ({@link Interpreter#getInstance()}); a command started from the menu while an unrelated macro
 * runs would stop that macro too, which ImageJ's own Esc does as well.
 */
public final class RunningMacro {

	private RunningMacro() {}

	/** Whether an ImageJ 1.x macro is running (the caller is most likely one of its statements). */
	public static boolean isRunning() {
		return Interpreter.getInstance() != null;
	}

	/**
	 * Aborts the running macro, if any, with {@code message}.
	 *
	 * @return whether a macro was running (and is now stopped)
	 */
	public static boolean abort(final String message) {
		final Interpreter macro = Interpreter.getInstance();
		if (macro == null) return false;
		// NB: without a display ImageJ's error dialog cannot open; the message is already logged.
		if (GraphicsEnvironment.isHeadless()) macro.setIgnoreErrors(true);
		try {
			macro.abort(message);
		}
		catch (final RuntimeException e) {
			// Interpreter.error ends with this exception once its dialog is closed.
			if (!Macro.MACRO_CANCELED.equals(e.getMessage())) throw e;
		}
		return true;
	}
}
