package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DJL's PyTorch engine starts inside a plugin class loader, as in Fiji: the plugin and its jars
 * are visible only to their own loader and the thread context class loader is an unrelated one.
 *
 * <p>NB: the check runs in a child JVM. A native library binds to the first class loader that
 * loads it, and other tests in this JVM have already loaded PyTorch through the application
 * class loader.
 */
class TorchEngineClassLoaderTest {

	@ParameterizedTest
	@ValueSource(strings = { "torch-first", "engine-class-first" })
	void engineStartsFromAnIsolatedPluginLoaderWithAnUnrelatedContextLoader(final String mode) throws IOException, InterruptedException {
		final List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Djava.awt.headless=true");
		command.add("-cp");
		command.add(Path.of("target/test-classes").toAbsolutePath().toString());
		command.add(IsolatedEngineProbe.class.getName());
		command.add(mode);
		command.addAll(pluginClassPath());
		final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		final boolean ended = process.waitFor(120, TimeUnit.SECONDS);
		final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!ended) process.destroyForcibly();
		assertTrue(ended, "the probe did not finish in 120 s:\n" + output);
		assertEquals(0, process.exitValue(), output);
		assertTrue(output.contains("context-restored=true"), output);
		assertTrue(output.contains("engine=PyTorch"), output);
		assertTrue(output.contains("product=7,10,15,22"), output);
	}

	/** target/classes and the runtime jars of this test run, without the test framework. */
	private static List<String> pluginClassPath() {
		final String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		final List<String> out = new ArrayList<>();
		for (final String entry : cp.split(File.pathSeparator)) {
			final String name = Path.of(entry).getFileName().toString();
			if (entry.endsWith("test-classes") || name.startsWith("junit-") || name.startsWith("opentest4j") || name.startsWith("apiguardian")
					|| name.startsWith("surefire") || name.startsWith("org.jacoco") || name.isEmpty())
				continue;
			out.add(entry);
		}
		assertTrue(out.stream().anyMatch(e -> e.endsWith("classes")), "target/classes expected on the class path: " + cp);
		assertTrue(out.stream().anyMatch(e -> e.contains("pytorch-native-cpu")), "the PyTorch natives expected on the class path: " + cp);
		return out;
	}
}
