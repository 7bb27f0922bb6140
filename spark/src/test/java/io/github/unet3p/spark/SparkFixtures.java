package io.github.unet3p.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

/** What the Spark tests share: a tiny model, the sample volumes, the plugin's launcher in a child JVM. */
final class SparkFixtures {

	/** The held-out sample volumes of the repository. */
	static final Path SAMPLE_TEST = Path.of("..", "sample-data", "lits", "test").toAbsolutePath().normalize();

	private SparkFixtures() {}

	/** A valid, untrained {@code unet3plus} bundle (2 classes, seed's HU window) of width {@code filters} and input {@code size}. */
	static Path tinyModel(final Path folder, final int filters, final int size) throws IOException {
		final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(size).optClasses(2).build();
		final JsonObject training = new JsonObject();
		training.addProperty("note", "untrained test network, seed 5");
		new ModelBundle(spec, new PreparationSpec(-200, 250, size), training).writeSpec(folder);
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, 5);
			ModelWeights.save(net.block(), folder.resolve(ModelBundle.WEIGHTS_FILE));
		}
		return folder;
	}

	/** Copies the sample volumes {@code volume-N.nii.gz} named by {@code cases} into {@code folder}. */
	static Path sampleVolumes(final Path folder, final int... cases) throws IOException {
		Files.createDirectories(folder);
		for (final int c : cases)
			Files.copy(SAMPLE_TEST.resolve("volume-" + c + ".nii.gz"), folder.resolve("volume-" + c + ".nii.gz"));
		return folder;
	}

	/**
	 * Runs the plugin's launcher ({@code ./unet3p}'s main class) in a child JVM with one PyTorch
	 * thread, as a user would; fails the test unless it exits with {@code expected}.
	 */
	static String launcher(final int expected, final String command, final String options) throws IOException, InterruptedException {
		final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
				"-Djava.awt.headless=true", "-Xmx2g", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
				"io.github.unet3p.fiji.launcher.Launcher", "--headless", "--run", command, options));
		final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		pb.environment().put("OMP_NUM_THREADS", "1");
		final Process p = pb.start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
		assertEquals(expected, p.exitValue(), "launcher exit status; output:\n" + out);
		return out;
	}

	/** Every regular file under {@code folder} by relative name, with its bytes. */
	static Map<String, byte[]> files(final Path folder) throws IOException {
		final Map<String, byte[]> files = new TreeMap<>();
		try (Stream<Path> all = Files.walk(folder)) {
			for (final Path f : all.filter(Files::isRegularFile).toList())
				files.put(folder.relativize(f).toString(), Files.readAllBytes(f));
		}
		return files;
	}

	/** What a Spark door call printed, and its exit status. */
	record Run(int status, String out) {}

	/** Runs a door through {@code body} with a captured print stream. */
	static Run capture(final Body body) throws Exception {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final int status;
		try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
			status = body.run(out);
		}
		final String text = bytes.toString(StandardCharsets.UTF_8);
		System.out.print(text);
		return new Run(status, text);
	}

	/** A door call. */
	@FunctionalInterface
	interface Body {
		int run(PrintStream out) throws Exception;
	}
}
