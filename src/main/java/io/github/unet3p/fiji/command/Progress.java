package io.github.unet3p.fiji.command;

import java.awt.GraphicsEnvironment;
import java.io.PrintStream;
import java.util.Locale;

import org.scijava.app.StatusService;
import org.scijava.log.LogService;

import ij.IJ;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Adapts the core's {@link ProgressListener} to where a user looks: Fiji's status bar and log
 * when there is a display, a single rewritten console line with an ETA when headless.
 */
final class Progress {

	private Progress() {}

	/** The listener that fits the current environment. */
	/**
	 * Wraps {@code inner} so that every progress report also checks ImageJ's Esc key (the way
	 * ImageJ aborts long operations) and, once pressed, asks {@code cancellation} to stop; the task
	 * then ends after its current batch or slice with earlier results intact.
	 */
	static ProgressListener cancelOnEscape(final ProgressListener inner, final Cancellation cancellation) {
		return new ProgressListener() {

			@Override
			public void progress(final String task, final long done, final long total) {
				if (IJ.escapePressed() && !cancellation.isCancelled()) {
					cancellation.cancel();
					IJ.resetEscape();
					inner.message(task + ": Esc pressed, stopping after the current step...");
				}
				inner.progress(task, done, total);
			}

			@Override
			public void message(final String text) {
				inner.message(text);
			}

			@Override
			public void warning(final String text) {
				inner.warning(text);
			}
		};
	}

	static ProgressListener forCommand(final StatusService status, final LogService log) {
		if (GraphicsEnvironment.isHeadless() || status == null) return new Console(System.err, log);
		return new StatusBar(status, log);
	}

	/** Fiji's status bar and progress bar; messages go to the log. */
	private static final class StatusBar implements ProgressListener {

		private final StatusService status;
		private final LogService log;
		private final Eta eta = new Eta();

		StatusBar(final StatusService status, final LogService log) {
			this.status = status;
			this.log = log;
		}

		@Override
		public void progress(final String task, final long done, final long total) {
			final String left = eta.remaining(done, total, System.nanoTime());
			status.showStatus((int) Math.min(Integer.MAX_VALUE, done), (int) Math.min(Integer.MAX_VALUE, total), left.isEmpty() ? task : task + " (ETA " + left + ")");
		}

		@Override
		public void message(final String text) {
			log.info(text);
			status.showStatus(text);
		}

		@Override
		public void warning(final String text) {
			log.warn(text);
			status.showStatus("Warning: " + text);
		}
	}

	/** One console line per task, rewritten in place, with elapsed time and ETA. */
	private static final class Console implements ProgressListener {

		private final PrintStream out;
		private final LogService log;
		private final Eta eta = new Eta();
		private String lastTask;
		private long lastPrint;

		Console(final PrintStream out, final LogService log) {
			this.out = out;
			this.log = log;
		}

		@Override
		public synchronized void progress(final String task, final long done, final long total) {
			final long now = System.nanoTime();
			final boolean finished = done >= total;
			final String left = eta.remaining(done, total, now);
			if (!finished && task.equals(lastTask) && now - lastPrint < 500_000_000L) return;
			lastTask = task;
			lastPrint = now;
			final String etaText = left.isEmpty() ? "" : ", ETA " + left;
			final int width = 24, filled = total > 0 ? (int) (width * Math.min(1.0, done / (double) total)) : 0;
			out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d%s   ", task, "#".repeat(filled), ".".repeat(width - filled), done, total, etaText));
			if (finished) out.println();
			out.flush();
		}

		@Override
		public synchronized void message(final String text) {
			if (lastTask != null) out.println();
			lastTask = null;
			if (log != null) log.info(text);
			else out.println(text);
		}
	
		/** NB: headless, warnings go to stderr (the log's warn level), apart from the information on stdout. */
		@Override
		public synchronized void warning(final String text) {
			if (lastTask != null) out.println();
			lastTask = null;
			if (log != null) log.warn(text);
			else out.println("Warning: " + text);
		}
	}

	/**
	 * The remaining time of one run of a task, extrapolated from its rate so far. A run starts
	 * when {@code done} goes down or {@code total} changes (the next epoch, validation after
	 * training), so every epoch's bar gets its own estimate.
	 */
	static final class Eta {

		private long runStart = -1;
		private long doneAtStart;
		private long lastDone = Long.MAX_VALUE;
		private long lastTotal = -1;

		/** The remaining time as text ("1m05s", "2h07m"), or "" when it cannot be estimated yet. */
		synchronized String remaining(final long done, final long total, final long nanos) {
			if (done < lastDone || total != lastTotal) {
				runStart = nanos;
				doneAtStart = done;
			}
			lastDone = done;
			lastTotal = total;
			if (done <= doneAtStart || done >= total || nanos <= runStart) return "";
			return time((nanos - runStart) / 1e9 * (total - done) / (done - doneAtStart));
		}

		/** {@code seconds} as "MmSSs" below an hour, "HhMMm" above. */
		static String time(final double seconds) {
			final long s = Math.round(seconds);
			return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
		}
	}
}
