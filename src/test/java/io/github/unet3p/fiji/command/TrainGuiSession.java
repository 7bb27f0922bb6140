package io.github.unet3p.fiji.command;

import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.command.CommandModule;

import ij.IJ;
import ij.ImageJ;
import ij.ImageListener;
import ij.ImagePlus;
import ij.WindowManager;
import io.github.unet3p.core.train.TrainingLog;
import io.github.unet3p.testsupport.TinySlices;

/**
 * What {@link TrainGuiIT} runs in a JVM with a display (Xvfb): ImageJ 1.x's window, then UNet3+
 * Train through SciJava's command service as Fiji's menu runs it, three times: a 3-epoch run whose
 * live plot window must change after every epoch (screenshot {@code train-plot.png}); a 20-epoch
 * run stopped by ImageJ's Esc key after its first epoch; and a run on a missing training folder,
 * which must show a dialog (closed here, screenshot {@code error-dialog.png}) and throw nothing.
 * Prints {@link #DONE} last; any failed check exits 1 with its reason.
 */
public final class TrainGuiSession {

	/** The last line of a session whose checks all passed. */
	public static final String DONE = "TRAIN GUI SESSION DONE";

	private static final List<String> dialogs = new CopyOnWriteArrayList<>();
	private static final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

	private TrainGuiSession() {}

	/** {@code args[0]}: the folder to work in; {@code args[1]}: where the screenshots go. */
	public static void main(final String... args) throws Exception {
		final Path work = Path.of(args[0]), shots = Files.createDirectories(Path.of(args[1]));
		Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
			uncaught.add(e);
			e.printStackTrace(System.out);
		});
		check(!GraphicsEnvironment.isHeadless(), "the JVM has a display (DISPLAY=" + System.getenv("DISPLAY") + ")");
		final ImageJ ij = new ImageJ(ImageJ.EMBEDDED);
		waitFor(ij::isShowing, 30, "ImageJ's window shows");
		final Context context = new Context();
		int status = 1;
		try {
			final CommandService commands = context.service(CommandService.class);
			final Path train = TinySlices.write(work.resolve("train"), 4, 32, 1), val = TinySlices.write(work.resolve("val"), 2, 32, 2);
			final PlotFrames frames = new PlotFrames();
			ImagePlus.addImageListener(frames);
			livePlotChangesEveryEpoch(commands, train, val, work.resolve("model-live"), frames, shots);
			escStopsAfterTheCurrentBatch(commands, train, val, work.resolve("model-esc"), frames, ij);
			anErrorShowsADialogAndThrowsNothing(commands, work.resolve("no-such-folder"), val, work.resolve("model-error"), shots);
			check(uncaught.isEmpty(), "no uncaught exception on any thread: " + uncaught);
			System.out.println(DONE);
			status = 0;
		}
		catch (final Exception | AssertionError e) {
			System.out.println("TRAIN GUI SESSION FAILED: " + e);
			e.printStackTrace(System.out);
		}
		finally {
			context.dispose();
		}
		System.exit(status);
	}

	private static void livePlotChangesEveryEpoch(final CommandService commands, final Path train, final Path val, final Path model, final PlotFrames frames,
			final Path shots) throws Exception {
		final String title = "UNet3+ Train: " + model.getFileName();
		final long t0 = System.nanoTime();
		final TrainCommand done = run(commands, train, val, model, 3).get(120, TimeUnit.SECONDS);
		check(done.failure() == null, "the 3-epoch run succeeds: " + done.failure());
		final List<int[]> seen = frames.of(title);
		// NB: one image per epoch: opened after the first, updated after the second and third.
		check(seen.size() == 3, "the live plot was drawn after each of the 3 epochs: " + seen.size() + " images");
		for (int i = 1; i < seen.size(); i++)
			check(!Arrays.equals(seen.get(i - 1), seen.get(i)), "the plot after epoch " + (i + 1) + " differs from the one after epoch " + i);
		final ImagePlus plot = WindowManager.getImage(title);
		check(plot != null && plot.getWindow() != null && plot.getWindow().isShowing(), "the plot window '" + title + "' is showing");
		check(Arrays.equals(seen.get(2), (int[]) plot.getProcessor().getPixels()), "the window holds the last epoch's plot");
		final BufferedImage shot = screenshot(plot.getWindow(), shots.resolve("train-plot.png"));
		final int blue = count(shot, TrainingPlot.TRAIN.getRGB()), red = count(shot, TrainingPlot.VALIDATION.getRGB()), green = count(shot, TrainingPlot.DICE.getRGB());
		check(blue > 20 && red > 20 && green > 20, "the screen shows the curves: " + blue + " training-loss, " + red + " validation-loss, " + green + " Dice pixels");
		System.out.printf("live plot: %d images over 3 epochs in %.1f s, all different; screenshot %dx%d with %d/%d/%d curve pixels%n", seen.size(),
				(System.nanoTime() - t0) / 1e9, shot.getWidth(), shot.getHeight(), blue, red, green);
		plot.getWindow().close();
	}

	private static void escStopsAfterTheCurrentBatch(final CommandService commands, final Path train, final Path val, final Path model, final PlotFrames frames,
			final ImageJ ij) throws Exception {
		final String title = "UNet3+ Train: " + model.getFileName();
		final Future<TrainCommand> running = run(commands, train, val, model, 20);
		waitFor(() -> !frames.of(title).isEmpty(), 120, "the first epoch of the 20-epoch run ends");
		final Path log = model.resolve("training/log.csv");
		final int beforeEsc = TrainingLog.read(log, 20).rows().size();
		final long pressed = System.nanoTime();
		// NB: the Esc key as ImageJ's window receives it (ImageJ.keyPressed: IJ.setKeyDown, abort).
		EventQueue.invokeAndWait(() -> ij.keyPressed(new KeyEvent(ij, KeyEvent.KEY_PRESSED, System.currentTimeMillis(), 0, KeyEvent.VK_ESCAPE, KeyEvent.CHAR_UNDEFINED)));
		final int before = dialogs.size();
		final TrainCommand stopped = closeDialogsUntilDone(running, 60);
		final double seconds = (System.nanoTime() - pressed) / 1e9;
		final List<TrainingLog.Row> rows = TrainingLog.read(log, 20).rows();
		check(stopped.failure() != null && stopped.failure().contains("Training"), "Esc cancels the run: " + stopped.failure());
		// NB: the epoch running when Esc came ends after its current batch, unlogged, unless that
		// batch was its last step: then it is logged and the next one stops before its first batch.
		check(beforeEsc >= 1 && rows.size() >= beforeEsc && rows.size() <= beforeEsc + 1,
				"it stops in the epoch Esc was pressed in: " + beforeEsc + " epochs logged at the key, " + rows.size() + " of 20 at the end");
		check(Files.isRegularFile(model.resolve("unet3p.json")), "the best model of the first epoch stays in " + model);
		check(!IJ.escapePressed(), "Esc is consumed by the run it stopped");
		System.out.printf("Esc: stopped %.1f s after the key, %d of 20 epochs logged; %s; dialogs: %s%n", seconds, rows.size(), stopped.failure(),
				dialogs.subList(before, dialogs.size()));
		final ImagePlus plot = WindowManager.getImage(title);
		if (plot != null && plot.getWindow() != null) plot.getWindow().close();
	}

	private static void anErrorShowsADialogAndThrowsNothing(final CommandService commands, final Path missing, final Path val, final Path model, final Path shots)
			throws Exception {
		final int before = dialogs.size();
		final Future<TrainCommand> running = run(commands, missing, val, model, 1);
		final Dialog dialog = waitForDialog(60);
		check(dialog != null, "a dialog shows the error");
		screenshot(dialog, shots.resolve("error-dialog.png"));
		final String text = describe(dialog);
		EventQueue.invokeAndWait(dialog::dispose);
		final TrainCommand failed = closeDialogsUntilDone(running, 60);
		check(failed.failure() != null && failed.failure().contains(missing.toString()), "the failure names the missing folder: " + failed.failure());
		check(text.contains(missing.getFileName().toString()), "the dialog names the missing folder: " + text);
		check(!failed.failure().contains("Exception"), "a user error, not a stack trace: " + failed.failure());
		check(dialogs.size() == before, "no second dialog: " + dialogs.subList(before, dialogs.size()));
		System.out.println("error: dialog " + text + "; failure " + failed.failure());
	}

	private static Future<TrainCommand> run(final CommandService commands, final Path train, final Path val, final Path model, final int epochs) {
		final CommandInfo info = commands.getCommands().stream()
				.filter(c -> c.getMenuPath() != null && c.getMenuPath().getLeaf() != null && "UNet3+ Train".equals(c.getMenuPath().getLeaf().getName())).findFirst()
				.orElseThrow(() -> new AssertionError("no command 'UNet3+ Train' in the menu"));
		final Map<String, Object> inputs = new LinkedHashMap<>();
		inputs.put("train", train.toFile());
		inputs.put("validation", val.toFile());
		inputs.put("model", model.toFile());
		inputs.put("filters", 2);
		inputs.put("epochs", epochs);
		inputs.put("batch", 2);
		inputs.put("patience", epochs);
		inputs.put("seed", 5L);
		final Future<CommandModule> f = commands.run(info, true, inputs);
		return new Future<>() {
			public boolean cancel(final boolean b) { return f.cancel(b); }
			public boolean isCancelled() { return f.isCancelled(); }
			public boolean isDone() { return f.isDone(); }
			public TrainCommand get() throws InterruptedException, java.util.concurrent.ExecutionException { return (TrainCommand) f.get().getDelegateObject(); }
			public TrainCommand get(final long t, final TimeUnit u) throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
				return (TrainCommand) f.get(t, u).getDelegateObject();
			}
		};
	}

	/** Waits for the command, closing (and recording) every dialog that shows meanwhile. */
	private static TrainCommand closeDialogsUntilDone(final Future<TrainCommand> running, final int seconds) throws Exception {
		final long end = System.nanoTime() + seconds * 1_000_000_000L;
		while (!running.isDone()) {
			if (System.nanoTime() > end) throw new AssertionError("the command did not end within " + seconds + " s");
			final Dialog d = showingDialog();
			if (d != null) {
				dialogs.add(describe(d));
				EventQueue.invokeAndWait(d::dispose);
			}
			Thread.sleep(50);
		}
		return running.get();
	}

	private static Dialog waitForDialog(final int seconds) throws InterruptedException {
		final long end = System.nanoTime() + seconds * 1_000_000_000L;
		while (System.nanoTime() < end) {
			final Dialog d = showingDialog();
			if (d != null) return d;
			Thread.sleep(50);
		}
		return null;
	}

	private static Dialog showingDialog() {
		for (final Window w : Window.getWindows())
			if (w instanceof Dialog && w.isShowing()) return (Dialog) w;
		return null;
	}

	/** The dialog's title and the text of its labels (ImageJ's MultiLineLabel keeps its lines in a field). */
	private static String describe(final Dialog d) {
		final StringBuilder b = new StringBuilder("'" + d.getTitle() + "':");
		final List<java.awt.Component> all = new ArrayList<>(List.of(d.getComponents()));
		for (int i = 0; i < all.size(); i++) {
			final java.awt.Component c = all.get(i);
			if (c instanceof java.awt.Container) all.addAll(List.of(((java.awt.Container) c).getComponents()));
			if (c instanceof java.awt.Label) b.append(' ').append(((java.awt.Label) c).getText());
			if (c instanceof ij.gui.MultiLineLabel) try {
				final java.lang.reflect.Field lines = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
				lines.setAccessible(true);
				for (final String line : (String[]) lines.get(c))
					if (line != null) b.append(' ').append(line);
			}
			catch (final ReflectiveOperationException e) {
				b.append(" (text unreadable: ").append(e).append(')');
			}
		}
		return b.toString();
	}

	private static BufferedImage screenshot(final Window w, final Path png) throws Exception {
		// NB: Xvfb has no window manager to raise a window: lower every other one, raise this one.
		EventQueue.invokeAndWait(() -> {
			for (final Window other : Window.getWindows())
				if (other != w && other.isShowing()) other.toBack();
			w.toFront();
		});
		Thread.sleep(500);
		EventQueue.invokeAndWait(() -> {});
		final Rectangle r = w.getBounds();
		final BufferedImage shot = new Robot().createScreenCapture(r);
		ImageIO.write(shot, "png", png.toFile());
		return shot;
	}

	private static int count(final BufferedImage image, final int rgb) {
		int n = 0;
		for (int y = 0; y < image.getHeight(); y++)
			for (int x = 0; x < image.getWidth(); x++)
				if ((image.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) n++;
		return n;
	}

	private static void waitFor(final java.util.function.BooleanSupplier condition, final int seconds, final String what) throws InterruptedException {
		final long end = System.nanoTime() + seconds * 1_000_000_000L;
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) throw new AssertionError(what + " (waited " + seconds + " s)");
			Thread.sleep(50);
		}
		System.out.println("ok: " + what);
	}

	private static void check(final boolean ok, final String what) {
		if (!ok) throw new AssertionError(what);
		System.out.println("ok: " + what);
	}

	/** Copies of the pixels of every UNet3+ Train plot, by window title, as ImageJ draws them. */
	private static final class PlotFrames implements ImageListener {

		private final Map<String, List<int[]>> frames = new java.util.concurrent.ConcurrentHashMap<>();

		List<int[]> of(final String title) {
			return frames.getOrDefault(title, List.of());
		}

		/** NB: ImageJ may report one redraw more than once; a frame equal to the one before is the same drawing. */
		private synchronized void add(final ImagePlus imp) {
			// NB: ImageJ notifies on the event thread, later; a closed window's image has no processor.
			if (!imp.getTitle().startsWith("UNet3+ Train: ") || imp.getProcessor() == null || !(imp.getProcessor().getPixels() instanceof int[])) return;
			final List<int[]> list = frames.computeIfAbsent(imp.getTitle(), t -> new CopyOnWriteArrayList<>());
			final int[] pixels = ((int[]) imp.getProcessor().getPixels()).clone();
			if (list.isEmpty() || !Arrays.equals(list.get(list.size() - 1), pixels)) list.add(pixels);
		}

		@Override
		public void imageOpened(final ImagePlus imp) {
			add(imp);
		}

		@Override
		public void imageUpdated(final ImagePlus imp) {
			add(imp);
		}

		@Override
		public void imageClosed(final ImagePlus imp) {}
	}
}
