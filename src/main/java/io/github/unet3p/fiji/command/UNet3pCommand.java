package io.github.unet3p.fiji.command;

import java.awt.GraphicsEnvironment;
import java.nio.file.FileSystemException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.scijava.Cancelable;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.DialogPrompt;
import org.scijava.ui.UIService;

import ij.IJ;

import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Base of every UNet3+ command: runs {@link #execute()} and turns what goes wrong into one message
 * for the user. A user error ({@link InvalidInputException}) and a file the system refuses
 * ({@link FileSystemException}: not a folder, no permission, read-only) are reported by a message
 * alone; a bug is logged with its stack trace. Either way the command remembers its failure so that the
 * launcher (and tests) can exit non-zero.
 *
 * <p>How a failure is signalled, wherever the command runs: the module is marked canceled with the
 * message ({@link Cancelable}: SciJava's {@code ModuleRunner} then skips the postprocessors and
 * publishes a {@code ModuleCanceledEvent}, and a script's {@code module.isCanceled()} is true); the
 * {@link StatusFile} (when asked for) says {@code failed: <message>}; a running ImageJ 1.x macro is
 * aborted with the message ({@link RunningMacro}); with a user interface an error dialog opens.
 * A preprocessor's cancellation (a required key missing under {@code --run}, a dialog closed with
 * Cancel) is reported the same way.
 *
 * <p>NB: every command declares all of its {@code @Parameter} fields itself, also the ones it shares
 * with another command (Segment's and Segment Files' inference options, the architecture keys of
 * Train, Benchmark and Model Summary, the HU window of Preprocess and Prepare Open Image). SciJava
 * lists a superclass's parameters before the subclass's ({@code ClassUtils.getAnnotatedFields}
 * scans supertypes first), so sharing them through a superclass would put them ahead of each
 * command's input and model in every dialog, macro recording and {@code --commands} listing. What
 * they share is shared as constants instead (defaults, choice lists, labels of the engine and
 * precision keys), and {@code CommandKeySchemaTest} checks every field against the settings' schema.
 */
public abstract class UNet3pCommand implements Command, Cancelable {

	@Parameter
	protected LogService log;

	@Parameter
	protected StatusService status;

	@Parameter(required = false)
	protected UIService ui;

	/** How long a JVM shutdown waits for a running command to stop after its current unit of work. */
	static final long SHUTDOWN_GRACE_SECONDS = 30;

	private final Cancellation cancellation = new Cancellation();

	private String failure;

	/** Does the command's work; throws {@link InvalidInputException} for bad input. */
	protected abstract void execute() throws Exception;

	@Override
	public final void run() {
		failure = null;
		// NB: an Esc pressed before this command started (or during an earlier one, after it
		// ended) must not cancel this one: ImageJ keeps the key's state until someone resets it.
		IJ.resetEscape();
		StatusFile.running(title(), log);
		final CountDownLatch finished = new CountDownLatch(1);
		final Thread stopOnShutdown = stopOnShutdown(finished);
		try {
			execute();
		}
		catch (final InvalidInputException e) {
			fail(e.getMessage(), null);
		}
		catch (final CancelledException e) {
			fail(e.getMessage(), null);
		}
		catch (final FileSystemException e) {
			// NB: a file the system refuses (not a folder, no permission, read-only, full) is the
			// user's environment, not a bug: its message names the file, so no stack trace.
			fail(title() + " cannot use " + e.getFile() + (e.getOtherFile() == null ? "" : " / " + e.getOtherFile()) + ": "
					+ (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), null);
		}
		catch (final OutOfMemoryError e) {
			fail(title() + " ran out of memory; give Fiji more (Edit > Options > Memory & Threads, or -Xmx).", null);
		}
		catch (final Exception e) {
			fail(title() + " failed: " + e, e);
		}
		catch (final Error e) {
			// A broken installation (a missing native library, a jar of the wrong version): reported
			// like any failure, and passed on to SciJava, which logs it as the bug it is.
			fail(title() + " failed: " + e, e);
			throw e;
		}
		finally {
			if (failure == null) StatusFile.ok(log);
			finished.countDown();
			if (stopOnShutdown != null) try {
				Runtime.getRuntime().removeShutdownHook(stopOnShutdown);
			}
			catch (final IllegalStateException e) {
				// The JVM is already shutting down: the hook is running and now lets it go on.
			}
			if (status != null) status.clearStatus();
		}
	}

	/**
	 * Registers a shutdown hook that, when the JVM is asked to stop (SIGTERM from a batch system,
	 * Fiji quitting), cancels this command and waits up to {@link #SHUTDOWN_GRACE_SECONDS} for it to
	 * finish its current unit of work. NB: without it the JVM would unload PyTorch's native code
	 * while this thread still runs a convolution in it, which can crash the process (seen with a
	 * SIGTERM mid-batch); completed files are safe either way, they are written atomically.
	 *
	 * @return the hook, or {@code null} when the JVM is already shutting down
	 */
	private Thread stopOnShutdown(final CountDownLatch finished) {
		final Thread hook = new Thread(() -> {
			cancellation.cancel();
			try {
				finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, title() + " stop on shutdown");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			return hook;
		}
		catch (final IllegalStateException e) {
			return null;
		}
	}

	/** The message of the failure, or {@code null} when the last run succeeded. */
	public String failure() {
		return failure;
	}

	/** Whether the command failed or was canceled before it ran (SciJava's {@link Cancelable}). */
	@Override
	public boolean isCanceled() {
		return failure != null;
	}

	/**
	 * Called by SciJava when a preprocessor cancels the run before {@link #run()} (a required key
	 * missing under {@code --run}, the dialog closed with Cancel): reported like a failure.
	 */
	@Override
	public void cancel(final String reason) {
		if (reason != null && !reason.isEmpty()) {
			fail(title() + ": " + reason, null);
			return;
		}
		// The user closed the dialog with Cancel: no error to show, but the batch did not happen.
		failure = title() + " canceled";
		if (log != null) log.info(failure);
		StatusFile.failed(failure, log);
	}

	@Override
	public String getCancelReason() {
		return failure;
	}

	/** The flag that stops the running command after its current unit of work. */
	public Cancellation cancellation() {
		return cancellation;
	}

	/**
	 * A progress listener for this command: the status bar in Fiji, a console line headless.
	 * Pressing Esc in Fiji (ImageJ's abort key) cancels the command after its current unit of work.
	 */
	protected ProgressListener progress() {
		return Progress.cancelOnEscape(Progress.forCommand(status, log), cancellation);
	}

	/** The command's menu label (the last element of its {@code @Plugin} menu path), used in messages. */
	protected final String title() {
		final Plugin plugin = getClass().getAnnotation(Plugin.class);
		if (plugin == null || plugin.menuPath().isEmpty()) return getClass().getSimpleName();
		return plugin.menuPath().substring(plugin.menuPath().lastIndexOf('>') + 1);
	}

	private void fail(final String message, final Throwable bug) {
		failure = message;
		if (log != null) {
			if (bug != null) log.error(message, bug);
			else log.error(message);
		}
		StatusFile.failed(message, log);
		if (RunningMacro.abort(message)) return; // the macro's error dialog carries the message
		showDialog(message);
	}

	/**
	 * Shows {@code message} in an error dialog when a user interface is there to show it: SciJava's
	 * when a real one is registered (Fiji's), else ImageJ 1.x's when its window is open.
	 * NB: without either (no {@code --headless}, but no UI registered, as in the launcher) SciJava's
	 * {@code showDialog} would throw a NullPointerException, and with only the console's
	 * {@code HeadlessUI} it prints to the console; the message is logged anyway.
	 */
	private void showDialog(final String message) {
		if (GraphicsEnvironment.isHeadless()) return;
		final org.scijava.ui.UserInterface shown = ui == null || ui.isHeadless() ? null : ui.getDefaultUI();
		try {
			if (shown != null && !(shown instanceof org.scijava.ui.headless.HeadlessUI))
				ui.showDialog(message, title(), DialogPrompt.MessageType.ERROR_MESSAGE);
			else if (IJ.getInstance() != null) IJ.error(title(), message);
		}
		catch (final RuntimeException e) {
			if (log != null) log.warn("Could not show the error dialog: " + e);
		}
	}
}
