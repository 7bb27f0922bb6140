package io.github.unet3p.fiji.command;

import java.awt.GraphicsEnvironment;

import org.scijava.ui.UIService;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * Finds the open ImageJ image a command works on (by title, or the active one) and publishes the
 * images it makes: shown in a window, or registered as batch-mode images when there is no screen
 * or a macro runs in batch mode.
 */
final class OpenImages {

	private OpenImages() {}

	/** The open image titled {@code title}, or the active image when it is empty. */
	static ImagePlus find(final String title) {
		final ImagePlus imp = title == null || title.isBlank() ? WindowManager.getCurrentImage() : WindowManager.getImage(title);
		if (imp != null) return imp;
		if (title == null || title.isBlank()) throw new InvalidInputException("No image is open; open a CT stack first, or give its title with input='...'.");
		final String[] open = WindowManager.getImageTitles();
		throw new InvalidInputException("No open image is titled '" + title + "'"
				+ (open.length == 0 ? "; no image is open." : "; open images: " + String.join(", ", open) + "."));
	}

	/**
	 * Shows {@code imp}, or makes it the current batch-mode image when nothing can be shown (the
	 * last one added is the active image of a thread that has not picked one).
	 *
	 * <p>NB: never {@link WindowManager#setTempCurrentImage}: that is per thread, and a command runs
	 * on a SciJava pool thread that outlives it, so the image stayed that thread's "active image"
	 * for every later command run there (a later run with {@code input} empty segmented an earlier,
	 * closed label image and outlined it instead of the active image), and was never released.
	 */
	static void publish(final ImagePlus imp, final UIService ui) {
		if (Interpreter.isBatchMode() || GraphicsEnvironment.isHeadless() || ui != null && ui.isHeadless()) Interpreter.addBatchModeImage(imp);
		else imp.show();
	}
}
