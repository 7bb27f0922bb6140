package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.github.unet3p.testsupport.Launch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.model.TorchBuild;

/**
 * {@code UNet3+ Engine} through the launcher: the report of what is loaded, the refused fetch on a
 * machine without an NVIDIA driver (nothing downloaded, nothing written), and the preference for
 * the next start (checked, saved, said to apply after a restart). The plugin folder is a temporary
 * one ({@code -Dunet3p.home}).
 */
class EngineCommandTest {

	@TempDir
	Path home;

	private String before;

	@BeforeEach
	void pluginFolder() {
		before = System.getProperty(TorchBuild.HOME_PROPERTY);
		System.setProperty(TorchBuild.HOME_PROPERTY, home.toString());
	}

	@AfterEach
	void restore() {
		if (before == null) System.clearProperty(TorchBuild.HOME_PROPERTY);
		else System.setProperty(TorchBuild.HOME_PROPERTY, before);
	}

	@Test
	void reportsTheLoadedBuildAndItsGpus() {
		final Launch.Outcome r = Launch.run("UNet3+ Engine", "");
		assertEquals(0, r.status(), r.err());
		assertTrue(r.out().contains("PyTorch 2.7.1, flavour cpu, DJL 0.36.0"), r.out());
		assertTrue(r.out().contains("Build: cpu: the bundled PyTorch 2.7.1 CPU build"), r.out());
		assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Library path: ") && l.length() > 14), r.out());
		assertTrue(r.out().contains("GPUs: none (a CPU build uses no GPU)"), r.out());
		assertTrue(r.out().contains("Plugin folder (preference, cache): " + home), r.out());
	}

	@Test
	void fetchingWithoutAnNvidiaDriverIsRefusedAndDownloadsNothing() throws IOException {
		assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/version")), "this machine has an NVIDIA driver");
		final Launch.Outcome r = Launch.run("UNet3+ Engine", "fetch=true");
		assertEquals(1, r.status(), r.err());
		assertTrue(r.err().contains("No NVIDIA driver found on this machine") && r.err().contains("Nothing was downloaded"), r.err());
		assertFalse(r.err().contains("\tat "), r.err());
		try (Stream<Path> files = Files.walk(home)) {
			assertEquals(1, files.count(), "nothing written in the plugin folder");
		}
	}

	@Test
	void thePreferenceIsCheckedSavedAndAppliesAfterARestart() throws IOException {
		final Launch.Outcome bad = Launch.run("UNet3+ Engine", "use='gpu'");
		assertEquals(1, bad.status(), bad.err());
		assertTrue(bad.err().contains("expected cpu, cuda or the folder of a libtorch"), bad.err());
		assertFalse(Files.exists(home.resolve(TorchBuild.PREFERENCE_FILE)), "a refused choice is not saved");
		final Launch.Outcome cuda = Launch.run("UNet3+ Engine", "use='cuda'");
		assertEquals(0, cuda.status(), cuda.err());
		assertTrue(cuda.out().contains("Saved for the next start: cuda: DJL's PyTorch 2.7.1 cu128 build in " + home), cuda.out());
		assertTrue(cuda.out().contains("This session keeps cpu: the bundled PyTorch 2.7.1 CPU build: DJL loads PyTorch once per JVM; restart Fiji to apply."), cuda.out());
		assertTrue(cuda.out().contains("is not in " + TorchBuild.cudaFolder(home, TorchBuild.Environment.system().classifier()) + " yet"), cuda.out());
		assertTrue(Files.readString(home.resolve(TorchBuild.PREFERENCE_FILE)).contains("torch=cuda"));
		assertEquals(TorchBuild.Kind.CUDA, TorchBuild.choose().kind(), "the next start reads it");
		final Launch.Outcome cpu = Launch.run("UNet3+ Engine", "use='cpu'");
		assertEquals(0, cpu.status(), cpu.err());
		assertEquals(TorchBuild.Kind.CPU, TorchBuild.choose().kind());
	}
}
