package io.github.unet3p.fiji.command;

import java.awt.GraphicsEnvironment;

import org.scijava.ui.UIService;

import ij.IJ;

/**
 * Prints a command's result text where a user reads it: standard output when headless (as the
 * seed prints its summary and benchmark lines), ImageJ's Log window when there is a display.
 */
final class ConsoleText {

	private ConsoleText() {}

	/** Prints {@code text} (one or more lines) to stdout headless, else to the Log window. */
	static void print(final String text, final UIService ui) {
		final String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
		if (GraphicsEnvironment.isHeadless() || ui == null || ui.isHeadless()) {
			System.out.println(body);
			System.out.flush();
		}
		else IJ.log(body);
	}
}
