package io.github.unet3p.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.train.BatchLossLog;
import io.github.unet3p.core.train.Trainer;
import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinySlices;
import io.github.unet3p.testsupport.TinyVolumes;

/**
 * A seeded training is the same in every process, however busy the machine and however often the
 * garbage collector runs: fresh JVMs with a small heap and young generation (collections every few
 * batches, the amplifier of issue 11) and two busy threads beside them write the same per-batch
 * losses ({@code training/batches.csv}) and the same {@code weights.params} bytes as a fresh JVM
 * with the default heap. Segment Files with that model writes the same labels and probabilities
 * under both heaps.
 */
class ReproducibleTrainingTest {

	/** The amplifier: a tiny heap and young generation, so the collector runs every few batches. */
	static final List<String> SMALL_HEAP = List.of("-Xmx96m", "-Xmn2m");

	@TempDir
	static Path tmp;

	@BeforeAll
	static void data() throws IOException {
		TinySlices.squares(tmp.resolve("train"), 24, 64);
		TinySlices.squares(tmp.resolve("val"), 8, 64);
		TinyVolumes.litsCase(tmp.resolve("cases"), 0);
		TinyVolumes.litsCase(tmp.resolve("cases"), 1);
	}

	@Test
	void trainingAndSegmentationAreByteIdenticalUnderAFrequentCollectorAndLoad() throws Exception {
		final AtomicBoolean busy = new AtomicBoolean(true);
		final List<Thread> loops = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			final Thread t = new Thread(() -> {
				double x = 1;
				while (busy.get())
					x = Math.sin(x) + 1;
				if (x == 42) System.out.println(x);
			}, "busy-" + i);
			t.setDaemon(true);
			t.start();
			loops.add(t);
		}
		try {
			final Path reference = train("default", List.of());
			final List<String> losses = BatchLossLog.read(reference.resolve(Trainer.TRAINING_DIR).resolve(BatchLossLog.FILE));
			assertEquals(1 + 2 * 6, losses.size(), "a header and 6 batches in each of 2 epochs: " + losses);
			final byte[] weights = Files.readAllBytes(reference.resolve(ModelBundle.WEIGHTS_FILE));
			final Path referenceLabels = segment("default", reference, List.of());
			for (int run = 0; run < 2; run++) {
				final Path other = train("small-heap-" + run, SMALL_HEAP);
				assertEquals(losses, BatchLossLog.read(other.resolve(Trainer.TRAINING_DIR).resolve(BatchLossLog.FILE)),
					"per-batch losses of a fresh JVM with " + SMALL_HEAP);
				assertArrayEquals(weights, Files.readAllBytes(other.resolve(ModelBundle.WEIGHTS_FILE)), "weights.params bytes with " + SMALL_HEAP);
			}
			final Path labels = segment("small-heap", reference, SMALL_HEAP);
			final List<String> names;
			try (var files = Files.list(referenceLabels)) {
				names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nii.gz")).sorted().toList();
			}
			assertEquals(6, names.size(), "labels and two probability maps of 2 cases: " + names);
			for (final String n : names)
				assertArrayEquals(Files.readAllBytes(referenceLabels.resolve(n)), Files.readAllBytes(labels.resolve(n)), n + " with " + SMALL_HEAP);
		}
		finally {
			busy.set(false);
			for (final Thread t : loops)
				t.join();
		}
	}

	private static Path train(final String name, final List<String> jvm) throws IOException, InterruptedException {
		final Path model = tmp.resolve("model-" + name);
		launch(jvm, "UNet3+ Train", "train=" + Launch.q(tmp.resolve("train")) + ",validation=" + Launch.q(tmp.resolve("val")) + ",model="
			+ Launch.q(model) + ",filters=4,epochs=2,batch=4,learning_rate=0.001,seed=5");
		return model;
	}

	private static Path segment(final String name, final Path model, final List<String> jvm) throws IOException, InterruptedException {
		final Path out = tmp.resolve("labels-" + name);
		launch(jvm, "UNet3+ Segment Files", "model=" + Launch.q(model) + ",input=" + Launch.q(tmp.resolve("cases")) + ",output=" + Launch.q(out)
			+ ",probabilities=true");
		return out;
	}

	/** Runs the launcher's main class in a fresh JVM with {@code jvm} options. */
	private static void launch(final List<String> jvm, final String command, final String options) throws IOException, InterruptedException {
		final List<String> cmd = new ArrayList<>();
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.addAll(jvm);
		cmd.add("-cp");
		cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
		cmd.add("io.github.unet3p.fiji.launcher.Launcher");
		cmd.addAll(List.of("--headless", "--run", command, options));
		final Path log = Files.createTempFile(tmp, "launch", ".log");
		// NB: one PyTorch thread, as Surefire sets for every test: two OpenMP threads beside two busy
		// threads on a 2-core machine wait for each other at every parallel region and take minutes.
		// PyTorch's default thread count is checked the same way by src/bench/reproducibility.sh.
		final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		final boolean ended = p.waitFor(5, TimeUnit.MINUTES);
		if (!ended) p.destroyForcibly();
		final String output = Files.readString(log, StandardCharsets.UTF_8);
		assertTrue(ended, command + " ends within 5 minutes:\n" + output);
		assertEquals(0, p.exitValue(), command + " " + jvm + ":\n" + output);
	}
}
