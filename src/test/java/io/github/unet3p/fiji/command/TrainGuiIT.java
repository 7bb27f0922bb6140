package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UNet3+ Train with a display, as Fiji's menu runs it: starts an X server of its own (Xvfb, the
 * Debian package {@code xvfb}; {@code .ci/run} installs it) and a JVM with
 * {@code -Djava.awt.headless=false} on it, which runs {@link TrainGuiSession}: ImageJ 1.x's window,
 * the live training plot redrawn after every epoch, Esc, and the error dialog. The screenshots stay
 * in {@code target/gui/}. Skipped, saying why, only when this machine has no Xvfb binary.
 */
class TrainGuiIT {

	@TempDir
	Path tmp;

	@Test
	void trainShowsItsLivePlotStopsOnEscAndReportsAnErrorInADialog() throws Exception {
		final Path xvfb = onPath("Xvfb");
		final String why = "no Xvfb binary on PATH (Debian package xvfb; .ci/run installs it): the GUI test cannot start a display";
		// NB: printed too, since Maven's summary shows a skip without its reason.
		if (xvfb == null) System.out.println("TrainGuiIT skipped: " + why);
		Assumptions.assumeTrue(xvfb != null, why);
		final Path shots = Path.of("target/gui").toAbsolutePath();
		Files.createDirectories(shots);
		for (final String png : List.of("train-plot.png", "error-dialog.png"))
			Files.deleteIfExists(shots.resolve(png));
		// NB: -displayfd makes Xvfb pick a free display number and write it to the given descriptor (its stdout).
		final Process server = new ProcessBuilder(xvfb.toString(), "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
				.redirectError(tmp.resolve("xvfb.log").toFile()).start();
		try {
			final String display = CompletableFuture.supplyAsync(() -> {
				try {
					return new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII)).readLine();
				}
				catch (final IOException e) {
					return null;
				}
			}).get(30, TimeUnit.SECONDS);
			assertTrue(display != null && display.matches("\\d+"), "Xvfb reports its display: " + display + "\n" + Files.readString(tmp.resolve("xvfb.log")));
			final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
			final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
					"-Djava.awt.headless=false", "-Dai.djl.offline=true", "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs"), "-Duser.home=" + tmp.resolve("home"),
					"-cp", classPath, TrainGuiSession.class.getName(), tmp.resolve("work").toString(), shots.toString()));
			final ProcessBuilder session = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("session.log").toFile());
			session.environment().put("DISPLAY", ":" + display);
			session.environment().put("OMP_NUM_THREADS", "1");
			final long t0 = System.nanoTime();
			final Process p = session.start();
			final boolean ended = p.waitFor(300, TimeUnit.SECONDS);
			if (!ended) p.destroyForcibly().waitFor();
			final String output = Files.readString(tmp.resolve("session.log"));
			Files.writeString(shots.resolve("session.log"), output);
			System.out.printf("GUI session on :%s, %.1f s:%n%s%n", display, (System.nanoTime() - t0) / 1e9, output);
			assertTrue(ended, "the session ends within 300 s\n" + output);
			assertEquals(0, p.exitValue(), output);
			assertTrue(output.contains(TrainGuiSession.DONE), output);
			final BufferedImage plot = ImageIO.read(shots.resolve("train-plot.png").toFile());
			assertTrue(plot.getWidth() >= TrainingPlot.WIDTH && plot.getHeight() >= 2 * TrainingPlot.PANEL_HEIGHT, plot.getWidth() + "x" + plot.getHeight());
			assertTrue(ImageIO.read(shots.resolve("error-dialog.png").toFile()).getWidth() > 0);
		}
		finally {
			server.destroy();
			if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
		}
	}

	/** The executable {@code name} in a folder of {@code PATH}, or {@code null}. */
	static Path onPath(final String name) {
		for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			final Path p = Path.of(dir.isEmpty() ? "." : dir, name);
			if (Files.isExecutable(p)) return p;
		}
		return null;
	}
}
