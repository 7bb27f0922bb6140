package io.github.unet3p.fiji.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.Context;
import org.scijava.object.ObjectService;

import ij.WindowManager;

import io.github.unet3p.fiji.launcher.CommandRunner;

/**
 * One Fiji session that runs the user's cycle again and again: a single SciJava {@link Context}
 * (as Fiji holds one for its lifetime), synthetic data made once ({@code UNet3+ Synthetic CT} +
 * {@code UNet3+ Preprocess}), then per {@link #iterate() iteration} {@code UNet3+ Train} into a
 * fresh model folder, {@code UNet3+ Segment Files} of the volumes with that model into a fresh
 * folder, and {@code UNet3+ Evaluate} of those labels against the truth into a fresh CSV. Commands
 * run by menu label with macro keys, through {@link CommandRunner} (the launcher's and the macro
 * bridge's path).
 *
 * <p>NB: what the commands print is captured per command and shown only when one fails, so that
 * a long session's report stays readable.
 */
public final class SessionCycle implements AutoCloseable {

	/** The three commands of one iteration, in order. */
	public static final List<String> COMMANDS = List.of("UNet3+ Train", "UNet3+ Segment Files", "UNet3+ Evaluate");

	/**
	 * Sizes of the session's data and model.
	 *
	 * @param size in-plane size of the synthetic volumes and of the prepared slices (at least 32)
	 * @param slices slices per volume
	 * @param volumes synthetic volumes (all trained on, all segmented)
	 * @param filters first-stage width of the trained UNet3+
	 * @param batch training and segmentation batch
	 */
	public record Sizes(int size, int slices, int volumes, int filters, int batch) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d volumes of %d x %d x %d, prepared at %d; filters %d, batch %d, 1 epoch", volumes, size, size, slices, size,
					filters, batch);
		}
	}

	private final Path root;
	private final Sizes sizes;
	private final Context context;
	private final CommandRunner runner;
	private final Path lits, prepared;
	private int done;

	/** Starts the session in {@code root} and makes its data. */
	public SessionCycle(final Path root, final Sizes sizes) throws InterruptedException {
		this.root = root;
		this.sizes = sizes;
		System.setProperty("java.awt.headless", "true");
		this.context = new Context();
		this.runner = new CommandRunner(context);
		this.lits = root.resolve("lits");
		this.prepared = root.resolve("prepared");
		run("UNet3+ Synthetic CT", Map.of("output", lits.toString(), "count", "" + sizes.volumes(), "size", "" + sizes.size(), "slices", "" + sizes.slices(),
				"seed", "3"));
		run("UNet3+ Preprocess", Map.of("input", lits.toString(), "output", prepared.toString(), "size", "" + sizes.size()));
	}

	/**
	 * Times of one iteration's commands, in nanoseconds, in the order of {@link #COMMANDS}.
	 *
	 * @param wall elapsed time
	 * @param cpu CPU time of the whole process meanwhile (every thread, PyTorch's included).
	 *          NB: on a shared machine this is the steadier measure of the work done.
	 */
	public record Times(long[] wall, long[] cpu) {}

	/** Runs one iteration (train, segment, evaluate), checks that each left its output, and times them. */
	public Times iterate() throws InterruptedException {
		final Path dir = root.resolve(String.format(Locale.ROOT, "iteration-%03d", ++done));
		final Path model = dir.resolve("model"), labels = dir.resolve("labels"), csv = dir.resolve("metrics.csv");
		final Times t = new Times(new long[3], new long[3]);
		run(t, 0, COMMANDS.get(0), Map.of("train", prepared.toString(), "validation", prepared.toString(), "model", model.toString(), "variant", "unet3plus",
				"backbone", "unet3plus", "filters", "" + sizes.filters(), "classes", "2", "epochs", "1", "batch", "" + sizes.batch(), "seed", "5"));
		expect(model.resolve("unet3p.json"));
		run(t, 1, COMMANDS.get(1), Map.of("model", model.toString(), "input", lits.toString(), "output", labels.toString(), "batch", "" + sizes.batch()));
		for (int v = 0; v < sizes.volumes(); v++)
			expect(labels.resolve("segmentation-" + v + ".nii.gz"));
		run(t, 2, COMMANDS.get(2), Map.of("prediction", labels.toString(), "truth", lits.toString(), "output", csv.toString()));
		expect(csv);
		return t;
	}

	/**
	 * What the session holds on to for the user: objects in SciJava's {@link ObjectService} and
	 * images ImageJ knows of (windows, or batch-mode images headless).
	 */
	public record Held(int sciJavaObjects, int imageJImages) {}

	/** What the session holds now. */
	public Held held() {
		return new Held(context.service(ObjectService.class).getIndex().size(), WindowManager.getImageCount());
	}

	/** Iterations run so far. */
	public int iterations() {
		return done;
	}

	/** Runs command {@code c} of {@link #COMMANDS} and records its times in {@code t}. */
	private void run(final Times t, final int c, final String command, final Map<String, String> keys) throws InterruptedException {
		final long cpu0 = processCpu(), wall0 = System.nanoTime();
		run(command, keys);
		t.wall()[c] = System.nanoTime() - wall0;
		t.cpu()[c] = processCpu() - cpu0;
	}

	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/** Runs one command with its macro keys; returns its wall time in nanoseconds. */
	private long run(final String command, final Map<String, String> keys) throws InterruptedException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		final PrintStream err = System.err, out = System.out;
		System.setErr(capture);
		System.setOut(capture);
		final long t0 = System.nanoTime();
		try {
			runner.run(command, keys);
			return System.nanoTime() - t0;
		}
		catch (final RuntimeException e) {
			throw new IllegalStateException(command + " failed in iteration " + done + ": " + e.getMessage() + "\n" + bytes.toString(StandardCharsets.UTF_8), e);
		}
		finally {
			System.setErr(err);
			System.setOut(out);
		}
	}

	private static void expect(final Path file) {
		if (!Files.isRegularFile(file)) throw new IllegalStateException("expected output missing: " + file);
	}

	/** Disposes of the context, as quitting Fiji does. */
	@Override
	public void close() {
		context.dispose();
	}
}
