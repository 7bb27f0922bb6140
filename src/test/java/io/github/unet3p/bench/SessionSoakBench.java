package io.github.unet3p.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import io.github.unet3p.fiji.command.SessionCycle;
import io.github.unet3p.fiji.command.SessionGauges;

/**
 * A long Fiji session (issue 7): one SciJava context runs {@code UNet3+ Train}, {@code UNet3+
 * Segment Files} and {@code UNet3+ Evaluate} again and again ({@link SessionCycle}); after every
 * iteration it prints each command's wall and CPU time and the {@link SessionGauges} (RSS, live heap,
 * threads, open files, DJL arrays and managers), then a summary: growth from iteration 3 (after
 * warm-up) to the last, and per command the mean time of the last 5 iterations over that of
 * iterations 3-7 (1.00 = no slow-down). NB: on a shared machine the CPU time (of the whole
 * process, while the command ran) is the steadier of the two.
 *
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * OMP_NUM_THREADS=2 java -Xmx1g -Dai.djl.offline=true \
 *   -cp target/classes:target/test-classes:$(cat target/cp.txt) io.github.unet3p.bench.SessionSoakBench \
 *   [report-file [iterations [size [filters]]]]
 * </pre>
 *
 * Defaults: 20 iterations, size 64, filters 4, 2 volumes of 24 slices (about 4 minutes on 2 cores).
 */
public final class SessionSoakBench {

	/** First iteration (1-based) counted after warm-up. */
	private static final int FROM = 3;
	/** Failed iterations tolerated (each reported and run again) before the soak stops. */
	private static final int MAX_FAILURES = 3;
	/** Slices per synthetic volume: 2 volumes give 2 x this many training slices. */
	private static final int SLICES = 24;

	private SessionSoakBench() {}

	/** Runs the soak; arguments: report file, iterations (20), size (64), filters (4). */
	public static void main(final String... args) throws Exception {
		final Path report = args.length > 0 ? Path.of(args[0]) : null;
		final int n = args.length > 1 ? Integer.parseInt(args[1]) : 20;
		final int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
		final int filters = args.length > 3 ? Integer.parseInt(args[3]) : 4;
		if (n < FROM + 4) throw new IllegalArgumentException("iterations must be at least " + (FROM + 4) + " for the summary, not " + n);
		final SessionCycle.Sizes sizes = new SessionCycle.Sizes(size, SLICES, 2, filters, 4);
		final StringWriter text = new StringWriter();
		final PrintWriter out = new PrintWriter(text, true) {
			@Override
			public void println(final String line) {
				super.println(line);
				System.out.println(line);
			}
		};
		final Path tmp = Files.createTempDirectory("unet3p-session-");
		try {
			run(out, tmp, sizes, n);
		}
		finally {
			delete(tmp);
		}
		if (report != null) {
			if (report.getParent() != null) Files.createDirectories(report.getParent());
			Files.writeString(report, text.toString(), StandardCharsets.UTF_8);
			System.out.println("written to " + report);
		}
	}

	private static void run(final PrintWriter out, final Path tmp, final SessionCycle.Sizes sizes, final int n) throws InterruptedException {
		final Runtime rt = Runtime.getRuntime();
		out.println("UNet3+ session soak (issue 7): one SciJava context, " + n + " x (Train, Segment Files, Evaluate)");
		out.println(String.format(Locale.ROOT, "%s; Java %s; %d cores; max heap %d MiB; OMP_NUM_THREADS=%s",
				ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")), System.getProperty("java.version"),
				rt.availableProcessors(), rt.maxMemory() >> 20, System.getenv("OMP_NUM_THREADS")));
		out.println("data: " + sizes);
		final long t0 = System.nanoTime();
		final List<SessionCycle.Times> times = new ArrayList<>();
		final List<SessionGauges> gauges = new ArrayList<>();
		try (SessionCycle session = new SessionCycle(tmp, sizes)) {
			final SessionGauges start = SessionGauges.now();
			out.println(String.format(Locale.ROOT, "context + data ready in %.1f s", (System.nanoTime() - t0) / 1e9));
			out.println(String.format(Locale.ROOT, "%4s %9s %9s %9s %9s %9s %9s %9s %9s %6s %6s %5s %8s %8s %6s %6s", "iter", "train_ms", "segm_ms", "eval_ms",
					"train_cpu", "segm_cpu", "eval_cpu", "rss_MiB", "heap_MiB", "jthr", "osthr", "fds", "ndarrays", "managers", "sjobj", "ijimg"));
			out.println(line("base", null, start, session.held()));
			SessionGauges last = null;
			final List<String> failures = new ArrayList<>();
			for (int i = 1; i <= n; i++) {
				try {
					times.add(session.iterate());
				}
				catch (final IllegalStateException e) {
					// NB: a failed command is reported and the iteration run again, so that a rare
					// failure (a diverged training) is counted rather than ending the soak.
					final String first = e.getMessage().lines().findFirst().orElse("");
					failures.add("attempt " + session.iterations() + ": " + first);
					out.println("FAILED " + first);
					if (failures.size() > MAX_FAILURES) throw e;
					i--;
					continue;
				}
				last = SessionGauges.now();
				// NB: the name lists (~5 KB a sample) are kept for iteration FROM only, so that the
				// bench's own records do not show up as a heap leak.
				gauges.add(i == FROM ? last : last.counts());
				out.println(line(Integer.toString(i), times.get(i - 1), last, session.held()));
			}
			gauges.set(n - 1, last);
			summary(out, times, gauges);
			out.println(failures.size() + " failed attempt(s)" + (failures.isEmpty() ? "" : ": " + failures));
			out.println(String.format(Locale.ROOT, "total %.1f s", (System.nanoTime() - t0) / 1e9));
		}
	}

	private static String line(final String label, final SessionCycle.Times t, final SessionGauges g, final SessionCycle.Held h) {
		final String ms = t == null ? String.format(Locale.ROOT, "%9s %9s %9s %9s %9s %9s", "-", "-", "-", "-", "-", "-")
				: String.format(Locale.ROOT, "%9.0f %9.0f %9.0f %9.0f %9.0f %9.0f", t.wall()[0] / 1e6, t.wall()[1] / 1e6, t.wall()[2] / 1e6, t.cpu()[0] / 1e6,
						t.cpu()[1] / 1e6, t.cpu()[2] / 1e6);
		return String.format(Locale.ROOT, "%4s %s %9.1f %9.1f %6d %6d %5d %8d %8d %6d %6d", label, ms, g.rssKb() / 1024.0, g.heapBytes() / 1048576.0,
				g.javaThreads(), g.osThreads(), g.openFds(), g.ndArrays(), g.ndManagers(), h.sciJavaObjects(), h.imageJImages());
	}

	private static void summary(final PrintWriter out, final List<SessionCycle.Times> times, final List<SessionGauges> gauges) {
		final int n = gauges.size();
		final SessionGauges a = gauges.get(FROM - 1), b = gauges.get(n - 1);
		out.println(String.format(Locale.ROOT, "summary, iteration %d -> %d:", FROM, n));
		out.println(String.format(Locale.ROOT, "  RSS        %.1f -> %.1f MiB: %+.2f%% (least-squares slope %+.2f MiB per iteration)", a.rssKb() / 1024.0,
				b.rssKb() / 1024.0, 100.0 * (b.rssKb() - a.rssKb()) / a.rssKb(), slope(gauges, g -> g.rssKb() / 1024.0)));
		final double rssEarly = meanOf(gauges, FROM - 1, FROM + 4), rssLate = meanOf(gauges, n - 5, n);
		out.println(String.format(Locale.ROOT, "  RSS mean   iterations %d-%d %.1f MiB, last 5 %.1f MiB: %+.2f%%", FROM, FROM + 4, rssEarly, rssLate,
				100 * (rssLate - rssEarly) / rssEarly));
		final double floorEarly = minOf(gauges, FROM - 1, FROM + 4), floorLate = minOf(gauges, n - 5, n);
		out.println(String.format(Locale.ROOT, "  RSS floor  (minimum) iterations %d-%d %.1f MiB, last 5 %.1f MiB: %+.2f%%", FROM, FROM + 4, floorEarly, floorLate,
				100 * (floorLate - floorEarly) / floorEarly));
		out.println(String.format(Locale.ROOT, "  heap       %.1f -> %.1f MiB: %+.1f MiB (slope %+.3f MiB per iteration)", a.heapBytes() / 1048576.0,
				b.heapBytes() / 1048576.0, (b.heapBytes() - a.heapBytes()) / 1048576.0, slope(gauges, g -> g.heapBytes() / 1048576.0)));
		out.println(String.format(Locale.ROOT, "  threads    Java %d -> %d (%+d), OS %d -> %d (%+d)", a.javaThreads(), b.javaThreads(), b.javaThreads() - a.javaThreads(),
				a.osThreads(), b.osThreads(), b.osThreads() - a.osThreads()));
		out.println(String.format(Locale.ROOT, "  open fds   %d -> %d (%+d)", a.openFds(), b.openFds(), b.openFds() - a.openFds()));
		out.println(String.format(Locale.ROOT, "  DJL        arrays %d -> %d, managers %d -> %d", a.ndArrays(), b.ndArrays(), a.ndManagers(), b.ndManagers()));
		final TreeSet<String> newThreads = new TreeSet<>(b.threadNames());
		newThreads.removeAll(a.threadNames());
		if (!newThreads.isEmpty()) out.println("  Java threads alive at the end but not at iteration " + FROM + ": " + newThreads);
		final List<String> newFds = new ArrayList<>(b.fdTargets());
		for (final String f : a.fdTargets())
			newFds.remove(f);
		if (!newFds.isEmpty()) out.println("  descriptors open at the end but not at iteration " + FROM + ": " + newFds);
		out.println(String.format(Locale.ROOT, "  time per command, mean of iterations %d-%d -> mean of the last 5 (ratio; 1.00 = no slow-down):", FROM, FROM + 4));
		for (int c = 0; c < SessionCycle.COMMANDS.size(); c++) {
			final int k = c;
			final double early = mean(times, t -> t.wall()[k], FROM - 1, FROM + 4), late = mean(times, t -> t.wall()[k], n - 5, n);
			final double cpuEarly = mean(times, t -> t.cpu()[k], FROM - 1, FROM + 4), cpuLate = mean(times, t -> t.cpu()[k], n - 5, n);
			out.println(String.format(Locale.ROOT, "  %-21s wall %.0f -> %.0f ms: %.3f;  CPU %.0f -> %.0f ms: %.3f", SessionCycle.COMMANDS.get(c), early / 1e6,
					late / 1e6, late / early, cpuEarly / 1e6, cpuLate / 1e6, cpuLate / cpuEarly));
		}
	}

	/** Mean of {@code f} over iterations [{@code from}, {@code to}) (0-based). */
	private static double mean(final List<SessionCycle.Times> times, final ToLongFunction<SessionCycle.Times> f, final int from, final int to) {
		double s = 0;
		for (int i = from; i < to; i++)
			s += f.applyAsLong(times.get(i));
		return s / (to - from);
	}

	/** Mean RSS in MiB over iterations [{@code from}, {@code to}) (0-based). */
	private static double meanOf(final List<SessionGauges> gauges, final int from, final int to) {
		double s = 0;
		for (int i = from; i < to; i++)
			s += gauges.get(i).rssKb() / 1024.0;
		return s / (to - from);
	}

	/**
	 * Least RSS in MiB over iterations [{@code from}, {@code to}) (0-based). NB: the allocator's
	 * free memory makes RSS swing by 100 MiB between iterations; a leak raises the floor.
	 */
	private static double minOf(final List<SessionGauges> gauges, final int from, final int to) {
		double m = Double.MAX_VALUE;
		for (int i = from; i < to; i++)
			m = Math.min(m, gauges.get(i).rssKb() / 1024.0);
		return m;
	}

	/** Least-squares slope per iteration of {@code f} over iterations {@value #FROM}..N. */
	private static double slope(final List<SessionGauges> gauges, final ToDoubleFunction<SessionGauges> f) {
		double sx = 0, sy = 0, sxx = 0, sxy = 0;
		final int m = gauges.size() - (FROM - 1);
		for (int i = FROM - 1; i < gauges.size(); i++) {
			final double x = i, y = f.applyAsDouble(gauges.get(i));
			sx += x;
			sy += y;
			sxx += x * x;
			sxy += x * y;
		}
		return (m * sxy - sx * sy) / (m * sxx - sx * sx);
	}

	private static void delete(final Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
		}
	}
}
