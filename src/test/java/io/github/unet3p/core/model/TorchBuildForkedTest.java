package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder mode for real, in child JVMs (libtorch binds to the first JVM that loads it): the CPU
 * libtorch is extracted from the class path's {@code pytorch-native-cpu} jar into a folder, a child
 * JVM is started with {@code UNET3P_TORCH=<folder>} and {@code UNET3P_TORCH_FLAVOR=cpu}, loads it
 * from there and runs a forward pass; the result equals the bundled build's bit for bit, and none
 * of DJL's JVM-wide properties remains set after the engine started.
 */
class TorchBuildForkedTest {

	private static final String PREFIX = "pytorch/cpu/linux-x86_64/";

	@TempDir
	Path tmp;

	@Test
	void aChildJvmLoadsTheCpuLibtorchFromAFolderAndComputesAsTheBundledBuild() throws IOException, InterruptedException {
		assumeTrue("linux-x86_64".equals(TorchBuild.classifier(System.getProperty("os.name"), System.getProperty("os.arch"))),
				"the extracted folder is the linux-x86_64 CPU build");
		final Path lib = extractCpuLibtorch(tmp.resolve("libtorch-cpu"));
		final String folder = run(Map.of(TorchBuild.ENV, lib.toString(), TorchBuild.FLAVOR_ENV, "cpu"));
		assertTrue(folder.contains("kind=folder"), folder);
		assertTrue(folder.contains("flavor=cpu"), folder);
		assertTrue(folder.contains("library=" + lib), "libtorch loaded from the folder:\n" + folder);
		assertTrue(folder.contains("properties-left=\n") || folder.contains("properties-left=" + System.lineSeparator()), "DJL's properties restored:\n" + folder);
		assertTrue(Files.isRegularFile(tmp.resolve("home/cache/pytorch/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so")),
				"DJL put the JNI into the plugin's cache, in its own layout");
		final String bundled = run(Map.of(TorchBuild.ENV, "cpu"));
		assertTrue(bundled.contains("kind=cpu"), bundled);
		assertTrue(bundled.contains("properties-left=\n") || bundled.contains("properties-left=" + System.lineSeparator()), bundled);
		final String a = line(folder, "forward="), b = line(bundled, "forward=");
		System.out.println("folder mode: " + a + "; bundled: " + b);
		assertEquals(b, a, "the same libtorch from a folder computes the same forward pass");
	}

	@Test
	void aFolderWithAnotherLibtorchVersionIsRefusedBeforeAnythingLoads() throws IOException, InterruptedException {
		final Path lib = Files.createDirectories(tmp.resolve("torch/lib"));
		Files.createFile(lib.resolve(TorchBuild.libraryFile("torch", TorchBuild.classifier(System.getProperty("os.name"), System.getProperty("os.arch")))));
		Files.writeString(tmp.resolve("torch/version.py"), "__version__ = '2.4.0+cpu'\n");
		final String out = runExpectingFailure(Map.of(TorchBuild.ENV, lib.toString()));
		assertTrue(out.contains("holds PyTorch 2.4.0") && out.contains("built for PyTorch 2.7.1"), out);
	}

	@Test
	void wrongChoicesStopTheFirstCommandWithOneMessage() throws IOException, InterruptedException {
		String out = runExpectingFailure(Map.of(TorchBuild.ENV, "gpu"));
		assertTrue(out.contains("UNET3P_TORCH='gpu': expected cpu, cuda or the folder of a libtorch"), out);
		out = runExpectingFailure(Map.of(TorchBuild.ENV, "cuda"));
		assertTrue(out.contains("The CUDA build of PyTorch 2.7.1 is not in " + tmp.resolve("home/cache/pytorch/2.7.1-cu128-")) && out.contains("UNet3+ Engine"), out);
		// a folder that looks like libtorch 2.7.1 but is not loadable: DJL's failure, named
		final Path fake = Files.createDirectories(tmp.resolve("fake/lib"));
		Files.writeString(fake.resolve(TorchBuild.libraryFile("torch", TorchBuild.classifier(System.getProperty("os.name"), System.getProperty("os.arch")))), "not a library");
		Files.writeString(tmp.resolve("fake/build-version"), "2.7.1+cpu\n");
		out = runExpectingFailure(Map.of(TorchBuild.ENV, fake.toString()));
		assertTrue(out.contains("PyTorch could not be loaded (folder " + fake + " (PyTorch 2.7.1, flavour cpu)"), out);
		assertTrue(out.contains("start with UNET3P_TORCH=cpu"), out);
	}

	private static String line(final String output, final String prefix) {
		return output.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + output));
	}

	/** Copies the CPU libtorch files out of the pytorch-native-cpu jar on the class path, as DJL itself extracts them. */
	static Path extractCpuLibtorch(final Path target) throws IOException {
		final URL url = TorchBuildForkedTest.class.getClassLoader().getResource(PREFIX + "libtorch.so");
		assertTrue(url != null && url.getProtocol().equals("jar"), "pytorch-native-cpu expected on the class path: " + url);
		Files.createDirectories(target);
		final JarURLConnection c = (JarURLConnection) url.openConnection();
		c.setUseCaches(false);
		try (JarFile jar = new JarFile(new File(c.getJarFileURL().getPath()))) {
			for (final Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
				final JarEntry entry = e.nextElement();
				if (entry.isDirectory() || !entry.getName().startsWith(PREFIX)) continue;
				try (InputStream in = jar.getInputStream(entry)) {
					Files.copy(in, target.resolve(entry.getName().substring(PREFIX.length())));
				}
			}
		}
		return target;
	}

	private String run(final Map<String, String> env) throws IOException, InterruptedException {
		final Result r = fork(env);
		assertEquals(0, r.status, r.output);
		return r.output;
	}

	private String runExpectingFailure(final Map<String, String> env) throws IOException, InterruptedException {
		final Result r = fork(env);
		assertEquals(1, r.status, r.output);
		return r.output;
	}

	private record Result(int status, String output) {}

	private Result fork(final Map<String, String> env) throws IOException, InterruptedException {
		final List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Djava.awt.headless=true");
		command.add("-cp");
		command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
		command.add(PathModeProbe.class.getName());
		final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
		for (final String k : new String[] { TorchBuild.ENV, TorchBuild.FLAVOR_ENV, "PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION" })
			pb.environment().remove(k);
		pb.environment().put(TorchBuild.HOME_ENV, tmp.resolve("home").toString());
		pb.environment().putAll(env);
		final Process process = pb.start();
		final boolean ended = process.waitFor(180, TimeUnit.SECONDS);
		final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!ended) process.destroyForcibly();
		assertTrue(ended, "the probe did not finish in 180 s:\n" + output);
		return new Result(process.exitValue(), output);
	}
}
