package io.github.unet3p.fiji.command;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.unet3p.core.train.EpochListener;
import io.github.unet3p.core.train.TrainingLog;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.ProgressListener;

/**
 * The training curve: training and validation loss (top panel) and validation Dice (bottom
 * panel, 0…1, best epoch marked) per epoch. After every epoch it is redrawn, shown live in one
 * window when there is a display, and written atomically as a PNG (the bundle's
 * {@code training/curve.png}), headless too.
 *
 * <p>NB: two stacked ImageJ plots rather than one plot with two y-axes: ImageJ's {@link Plot} has
 * a single y-axis, and Dice rescaled onto the loss axis would be unreadable.
 *
 * <p>NB: a JVM without any font (a slim container: the JDK's headless toolkit then throws
 * "No physical fonts found" when text is measured) gets the same curves drawn without text, and
 * one message saying so; training is never stopped by its plot.
 */
public final class TrainingPlot implements EpochListener {

	/** Name of the PNG inside the bundle's training folder. */
	public static final String FILE = "curve.png";

	static final Color TRAIN = new Color(0x1f77b4);
	static final Color VALIDATION = new Color(0xd62728);
	static final Color DICE = new Color(0x2ca02c);
	static final int WIDTH = 640, PANEL_HEIGHT = 260;

	private final String title;
	private final Path png;
	private final boolean live;
	private final int totalEpochs;
	private final ProgressListener messages;
	private final Function<TrainingPlot, ColorProcessor> renderer;
	private final List<TrainingLog.Row> rows = new ArrayList<>();
	private final List<Double> sessionSeconds = new ArrayList<>();
	private int best = -1;
	private boolean textless;
	private ImagePlus window;

	/**
	 * A plot that starts with the rows of an earlier, resumed run.
	 *
	 * @param title window title
	 * @param png where the curve is written after every epoch
	 * @param live whether to show a window (ignored when the JVM is headless)
	 * @param earlier rows already logged (resume), possibly empty
	 * @param totalEpochs the planned number of epochs (for the remaining-time estimate)
	 * @param messages receives the one-time "drawn without text" notice
	 */
	public TrainingPlot(final String title, final Path png, final boolean live, final List<TrainingLog.Row> earlier, final int totalEpochs,
			final ProgressListener messages) {
		this(title, png, live, earlier, totalEpochs, messages, TrainingPlot::renderWithText);
	}

	TrainingPlot(final String title, final Path png, final boolean live, final List<TrainingLog.Row> earlier, final int totalEpochs,
			final ProgressListener messages, final Function<TrainingPlot, ColorProcessor> renderer) {
		this.title = title;
		this.png = png;
		this.live = live && !GraphicsEnvironment.isHeadless();
		this.totalEpochs = totalEpochs;
		this.messages = messages;
		this.renderer = renderer;
		for (final TrainingLog.Row r : earlier) {
			rows.add(r);
			if (best < 0 || r.valDice() > rows.get(best).valDice()) best = rows.size() - 1;
		}
	}

	@Override
	public synchronized void epochEnded(final TrainingLog.Row row, final boolean isBest) {
		// NB: a resumed run may repeat an epoch whose row was logged after the last checkpoint.
		rows.removeIf(r -> r.epoch() >= row.epoch());
		if (best >= rows.size()) best = -1;
		rows.add(row);
		sessionSeconds.add(row.seconds());
		if (isBest || best < 0) best = rows.size() - 1;
		final ColorProcessor image = render();
		try {
			write(image);
		}
		catch (final IOException e) {
			messages.message("Training curve not written to " + png + ": " + e.getMessage());
		}
		if (live) show(image);
	}

	/** The epochs plotted so far. */
	synchronized List<TrainingLog.Row> rows() {
		return Collections.unmodifiableList(new ArrayList<>(rows));
	}

	/** Whether the curve had to be drawn without text (no fonts). */
	synchronized boolean textless() {
		return textless;
	}

	/** The current curve image: with text when fonts work, else without. */
	synchronized ColorProcessor render() {
		if (!textless) {
			try {
				return renderer.apply(this);
			}
			catch (final VirtualMachineError e) {
				throw e;
			}
			catch (final RuntimeException | Error e) {
				textless = true;
				messages.message("Training curve drawn without text (this JVM cannot render fonts: " + e.getMessage()
						+ "). Blue = training loss, red = validation loss, green = validation Dice (0 to 1); the numbers are in training/log.csv.");
			}
		}
		return renderWithoutText(this);
	}

	/**
	 * Writes the plot as a PNG. NB: ImageIO's stream writer caches in memory, not in a temporary
	 * file: the file cache registers a JVM shutdown hook for every stream, which fails with
	 * "Shutdown in progress" when a SIGTERM arrives at the end of an epoch, and the run then failed
	 * instead of stopping cleanly (seen in kill_resume.sh under load).
	 */
	private void write(final ColorProcessor image) throws IOException {
		AtomicFiles.write(png, out -> {
			final ImageOutputStream stream = new MemoryCacheImageOutputStream(out);
			try {
				if (!ImageIO.write(image.getBufferedImage(), "png", stream)) throw new IOException("no PNG writer in this JVM");
			}
			finally {
				stream.close();
			}
		});
	}

	private void show(final ColorProcessor image) {
		if (window == null) {
			window = new ImagePlus(title, image);
			window.show();
		}
		else {
			window.setProcessor(image);
			window.updateAndDraw();
		}
	}

	/** The title line: progress and remaining time while training, the best epoch always. */
	String caption() {
		final TrainingLog.Row last = rows.get(rows.size() - 1);
		final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d", last.epoch() + 1, totalEpochs));
		final int left = totalEpochs - 1 - last.epoch();
		if (left > 0 && !sessionSeconds.isEmpty()) {
			final double mean = sessionSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
			sb.append(", about ").append(Progress.Eta.time(mean * left)).append(" left");
		}
		if (best >= 0) sb.append(String.format(Locale.ROOT, "; best validation Dice %.4f (epoch %d)", rows.get(best).valDice(), rows.get(best).epoch() + 1));
		return sb.toString();
	}

	private static ColorProcessor renderWithText(final TrainingPlot p) {
		final Curves c = Curves.of(p.rows);
		final double[] x = c.x(), train = c.train(), val = c.val(), dice = c.dice();
		final int n = x.length;
		final double[] xr = xRange(x);
		final double[] lossRange = yRange(train, val);

		final Plot loss = new Plot(p.caption(), "epoch", "loss");
		loss.setSize(WIDTH, PANEL_HEIGHT);
		loss.setLimits(xr[0], xr[1], lossRange[0], lossRange[1]);
		loss.setColor(TRAIN);
		loss.addPoints(x, train, n == 1 ? Plot.CIRCLE : Plot.LINE);
		loss.setColor(VALIDATION);
		loss.addPoints(x, val, n == 1 ? Plot.CIRCLE : Plot.LINE);
		loss.setColor(Color.BLACK);
		loss.addLegend("training loss\tvalidation loss");
		loss.addLabel(0, 0, p.caption());

		final Plot dicePlot = new Plot("Validation Dice", "epoch", "validation Dice");
		dicePlot.setSize(WIDTH, PANEL_HEIGHT);
		dicePlot.setLimits(xr[0], xr[1], 0, 1);
		dicePlot.setColor(DICE);
		dicePlot.addPoints(x, dice, n == 1 ? Plot.CIRCLE : Plot.LINE);
		if (p.best >= 0) {
			dicePlot.setColor(Color.BLACK);
			dicePlot.addPoints(new double[] { x[p.best] }, new double[] { dice[p.best] }, Plot.CIRCLE);
		}
		dicePlot.setColor(Color.BLACK);
		dicePlot.addLegend("validation Dice\tbest epoch");
		return stack(loss.getProcessor(), dicePlot.getProcessor());
	}

	private static ColorProcessor stack(final ImageProcessor top, final ImageProcessor bottom) {
		final int w = Math.max(top.getWidth(), bottom.getWidth());
		final ColorProcessor out = new ColorProcessor(w, top.getHeight() + bottom.getHeight());
		out.setColor(Color.WHITE);
		out.fill();
		out.insert(top.convertToRGB(), 0, 0);
		out.insert(bottom.convertToRGB(), 0, top.getHeight());
		return out;
	}

	/** The same two panels, frames, grid and curves, drawn with pixels only (no font needed). */
	static ColorProcessor renderWithoutText(final TrainingPlot p) {
		final Curves c = Curves.of(p.rows);
		final double[] x = c.x(), train = c.train(), val = c.val(), dice = c.dice();
		final ColorProcessor out = new ColorProcessor(WIDTH, 2 * PANEL_HEIGHT);
		out.setColor(Color.WHITE);
		out.fill();
		final double[] xr = xRange(x);
		final double[] lr = yRange(train, val);
		final Panel top = new Panel(out, 0, xr, lr);
		top.curve(x, train, TRAIN);
		top.curve(x, val, VALIDATION);
		final Panel bottom = new Panel(out, PANEL_HEIGHT, xr, new double[] { 0, 1 });
		bottom.curve(x, dice, DICE);
		if (p.best >= 0) bottom.marker(x[p.best], dice[p.best], Color.BLACK);
		return out;
	}

	/** x limits: the epochs, at least one epoch wide. */
	static double[] xRange(final double[] x) {
		final double lo = x.length == 0 ? 1 : x[0], hi = x.length == 0 ? 2 : x[x.length - 1];
		return hi > lo ? new double[] { lo, hi } : new double[] { lo - 0.5, lo + 0.5 };
	}

	/** y limits covering the finite values of both series with a 5% margin. */
	static double[] yRange(final double[] a, final double[] b) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final double[] s : new double[][] { a, b })
			for (final double v : s)
				if (Double.isFinite(v)) {
					lo = Math.min(lo, v);
					hi = Math.max(hi, v);
				}
		if (lo > hi) return new double[] { 0, 1 };
		final double span = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1) * 0.1;
		return new double[] { Math.max(0, lo - 0.05 * span), hi + 0.05 * span };
	}

	/** One panel of the text-free curve: a frame, a 4×4 grid, curves and markers. */
	private static final class Panel {

		private static final int LEFT = 40, RIGHT = 20, TOP = 20, BOTTOM = 30;
		private final ColorProcessor ip;
		private final int x0, y0, w, h;
		private final double[] xr, yr;

		Panel(final ColorProcessor ip, final int offset, final double[] xr, final double[] yr) {
			this.ip = ip;
			this.x0 = LEFT;
			this.y0 = offset + TOP;
			this.w = WIDTH - LEFT - RIGHT;
			this.h = PANEL_HEIGHT - TOP - BOTTOM;
			this.xr = xr;
			this.yr = yr;
			ip.setColor(new Color(0xdddddd));
			for (int i = 1; i < 4; i++) {
				ip.drawLine(x0 + i * w / 4, y0, x0 + i * w / 4, y0 + h);
				ip.drawLine(x0, y0 + i * h / 4, x0 + w, y0 + i * h / 4);
			}
			ip.setColor(Color.BLACK);
			ip.drawRect(x0, y0, w + 1, h + 1);
		}

		int px(final double x) {
			return x0 + (int) Math.round((x - xr[0]) / (xr[1] - xr[0]) * w);
		}

		int py(final double y) {
			final double c = Math.max(yr[0], Math.min(yr[1], y));
			return y0 + h - (int) Math.round((c - yr[0]) / (yr[1] - yr[0]) * h);
		}

		void curve(final double[] x, final double[] y, final Color colour) {
			ip.setColor(colour);
			ip.setLineWidth(2);
			for (int i = 0; i < x.length; i++) {
				if (!Double.isFinite(y[i])) continue;
				if (i > 0 && Double.isFinite(y[i - 1])) ip.drawLine(px(x[i - 1]), py(y[i - 1]), px(x[i]), py(y[i]));
				else ip.drawDot(px(x[i]), py(y[i]));
			}
			ip.setLineWidth(1);
		}

		void marker(final double x, final double y, final Color colour) {
			if (!Double.isFinite(y)) return;
			ip.setColor(colour);
			ip.drawOval(px(x) - 4, py(y) - 4, 9, 9);
		}
	}

	/** The log's columns as plot series: epoch (1-based), training loss, validation loss, Dice. */
	private record Curves(double[] x, double[] train, double[] val, double[] dice) {

		static Curves of(final java.util.List<TrainingLog.Row> rows) {
			final int n = rows.size();
			final Curves c = new Curves(new double[n], new double[n], new double[n], new double[n]);
			for (int i = 0; i < n; i++) {
				final TrainingLog.Row r = rows.get(i);
				c.x[i] = r.epoch() + 1;
				c.train[i] = r.trainLoss();
				c.val[i] = r.valLoss();
				c.dice[i] = r.valDice();
			}
			return c;
		}
	}
}
