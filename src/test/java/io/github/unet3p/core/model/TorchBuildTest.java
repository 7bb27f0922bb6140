package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Every engine choice and every wrong combination, as a table: the folder layouts are made here
 * (empty files with libtorch's names, the version files pip and the libtorch download write), the
 * environment is a map, nothing is loaded.
 */
class TorchBuildTest {

	private static final String LINUX = "linux-x86_64";

	@TempDir
	Path tmp;

	/**
	 * Makes the folder a layout names and returns its lib folder: {@code none} (empty), {@code lib}
	 * (libtorch one level down), {@code pip:<version>[:cuda]} (torch/lib + ../version.py),
	 * {@code pipcuda:<version>:<cuda>} (version.py with a separate cuda field), {@code zip:<build-version>[:cuda]}
	 * (libtorch/lib + ../build-version), {@code djl:<folder name>[:cuda]}, {@code bare[:cuda]} (no
	 * version anywhere); {@code +jni} adds the folder's own JNI.
	 */
	private Path layout(final String spec) throws IOException {
		final boolean jni = spec.endsWith("+jni");
		final String[] parts = (jni ? spec.substring(0, spec.length() - 4) : spec).split(":");
		final boolean cuda = parts[parts.length - 1].equals("cuda");
		final Path root = Files.createTempDirectory(tmp, "layout");
		Path lib;
		switch (parts[0]) {
			case "none" -> lib = root;
			case "lib" -> {
				lib = Files.createDirectories(root.resolve("lib"));
				Files.createFile(lib.resolve("libtorch.so"));
				return root;
			}
			case "pip" -> {
				lib = Files.createDirectories(root.resolve("torch/lib"));
				Files.writeString(root.resolve("torch/version.py"), "from typing import Optional\n__version__ = '" + parts[1] + "'\ndebug = False\ncuda: Optional[str] = "
						+ (cuda ? "'12.8'" : "None") + "\n", StandardCharsets.UTF_8);
			}
			case "pipcuda" -> {
				lib = Files.createDirectories(root.resolve("torch/lib"));
				Files.writeString(root.resolve("torch/version.py"), "__version__ = '" + parts[1] + "'\ncuda = '" + parts[2] + "'\n", StandardCharsets.UTF_8);
			}
			case "zip" -> {
				lib = Files.createDirectories(root.resolve("libtorch/lib"));
				Files.writeString(root.resolve("libtorch/build-version"), parts[1] + "\n", StandardCharsets.UTF_8);
			}
			case "djl" -> lib = Files.createDirectories(root.resolve(parts[1]));
			case "bare" -> lib = Files.createDirectories(root.resolve("lib"));
			default -> throw new IllegalArgumentException(spec);
		}
		if (!parts[0].equals("none")) {
			Files.createFile(lib.resolve("libtorch.so"));
			Files.createFile(lib.resolve("libtorch_cpu.so"));
			if (cuda || parts[0].equals("pipcuda")) Files.createFile(lib.resolve("libtorch_cuda.so"));
		}
		if (jni) Files.createFile(lib.resolve("0.36.0-libdjl_torch.so"));
		return lib;
	}

	private TorchBuild.Environment env(final String torch, final String flavor, final String property, final String classifier) {
		final Map<String, String> vars = new HashMap<>();
		final Map<String, String> props = new HashMap<>();
		if (!torch.isEmpty()) vars.put(TorchBuild.ENV, torch);
		if (!flavor.isEmpty()) vars.put(TorchBuild.FLAVOR_ENV, flavor);
		if (!property.isEmpty()) props.put(TorchBuild.PROPERTY, property);
		vars.put(TorchBuild.HOME_ENV, tmp.resolve("home").toString());
		return new TorchBuild.Environment(vars, props, classifier);
	}

	/** Rows: UNET3P_TORCH (a layout spec in braces is replaced by its folder), flavour, -Dunet3p.torch, classifier, then the expected kind/flavour/version or "!" + a fragment of the refusal. */
	@ParameterizedTest(name = "[{index}] UNET3P_TORCH={0} flavour={1} property={2} {3} -> {4}")
	@CsvSource(delimiter = '|', nullValues = "~", value = {
		// the choices
		"             |       |       | linux-x86_64 | cpu/cpu/2.7.1",
		"cpu          |       |       | linux-x86_64 | cpu/cpu/2.7.1",
		"CPU          | cpu   |       | linux-x86_64 | cpu/cpu/2.7.1",
		"cuda         |       |       | linux-x86_64 | cuda/cu128/2.7.1",
		"cuda         |       |       | win-x86_64   | cuda/cu128/2.7.1",
		"             |       | cuda  | linux-x86_64 | cuda/cu128/2.7.1",
		"cpu          |       | cuda  | linux-x86_64 | cpu/cpu/2.7.1",
		"{pip:2.7.1+cu128:cuda} |  |  | linux-x86_64 | folder/cu128/2.7.1",
		"{pip:2.7.1:cuda}       |  |  | linux-x86_64 | folder/cu128/2.7.1",
		"{pip:2.7.1+cpu}        |  |  | linux-x86_64 | folder/cpu/2.7.1",
		"{pipcuda:2.7.1:12.8}   |  |  | linux-x86_64 | folder/cu128/2.7.1",
		"{zip:2.7.1+cu128:cuda} |  |  | linux-x86_64 | folder/cu128/2.7.1",
		"{zip:2.7.1+cpu}        |  |  | linux-x86_64 | folder/cpu/2.7.1",
		"{djl:2.7.1-cu128-linux-x86_64:cuda} | | | linux-x86_64 | folder/cu128/2.7.1",
		"{djl:2.7.1-cpu-precxx11-linux-x86_64} | | | linux-x86_64 | folder/cpu/2.7.1",
		"{bare}                 |  |  | linux-x86_64 | folder/cpu/2.7.1",
		"{bare:cuda}  | cu128 |       | linux-x86_64 | folder/cu128/2.7.1",
		"{pip:2.5.1+cu121:cuda+jni} | | | linux-x86_64 | folder/cu121/2.5.1",
		"{bare:cuda+jni} | cu118 |     | linux-x86_64 | folder/cu118/2.7.1",
		// the wrong combinations
		"gpu          |       |       | linux-x86_64 | !expected cpu, cuda or the folder of a libtorch",
		"/no/such/dir |       |       | linux-x86_64 | !/no/such/dir is no folder",
		"cpu          | cu128 |       | linux-x86_64 | !chooses the bundled CPU build, but the flavour is given as 'cu128'",
		"cuda         | cu118 |       | linux-x86_64 | !flavour 'cu118' does not exist for it",
		"cuda         |       |       | osx-aarch64  | !for Linux and Windows on x86_64 only; this machine is osx-aarch64",
		"cuda         |       |       | linux-aarch64 | !for Linux and Windows on x86_64 only",
		"{none}       |       |       | linux-x86_64 | !holds no libtorch (libtorch.so)",
		"{lib}        |       |       | linux-x86_64 | !Its lib folder does",
		"{pip:2.5.1+cu121:cuda} |  |  | linux-x86_64 | !holds PyTorch 2.5.1, but the JNI shipped with this plugin (DJL 0.36.0) is built for PyTorch 2.7.1",
		"{zip:2.8.0+cpu}        |  |  | linux-x86_64 | !holds PyTorch 2.8.0",
		"{bare:cuda}  |       |       | linux-x86_64 | !its CUDA version cannot be read from the folder",
		"{bare}       | cu128 |       | linux-x86_64 | !it is a CPU build of libtorch",
		"{pip:2.7.1+cpu}  | cu128 |   | linux-x86_64 | !it is a CPU build of libtorch",
		"{bare:cuda}  | cu118 |       | linux-x86_64 | !has no cu118 build for linux-x86_64",
		"{bare}       | rocm  |       | linux-x86_64 | !flavour 'rocm' is not one of DJL's",
		"{djl:2.7.1-cu128-win-x86_64:cuda} | | | win-x86_64 | !holds no libtorch (torch.dll)" })
	void choosesOrRefuses(final String torch, final String flavor, final String property, final String classifier, final String expected) throws IOException {
		String value = torch == null ? "" : torch;
		if (value.startsWith("{")) value = layout(value.substring(1, value.length() - 1)).toString();
		final TorchBuild.Environment env = env(value, flavor == null ? "" : flavor, property == null ? "" : property, classifier);
		if (expected.startsWith("!")) {
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchBuild.choose(env));
			assertTrue(e.getMessage().contains(expected.substring(1)), e.getMessage());
			assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
			return;
		}
		final TorchBuild b = TorchBuild.choose(env);
		assertEquals(expected, b.kind().key() + "/" + b.flavor() + "/" + b.version(), b.describe());
		final Map<String, String> p = b.djlProperties(tmp.resolve("home"));
		assertEquals("true", p.get("ai.djl.offline"));
		assertEquals(b.flavor(), p.get("PYTORCH_FLAVOR"));
		assertEquals(b.isCuda() ? "true" : null, p.get("ai.djl.pytorch.cudnn_benchmark"));
		if (b.kind() == TorchBuild.Kind.CPU) assertFalse(p.containsKey("PYTORCH_LIBRARY_PATH"));
		else {
			assertEquals(b.folder().orElseThrow().toString(), p.get("PYTORCH_LIBRARY_PATH"));
			assertEquals(b.version(), p.get("PYTORCH_VERSION"));
			assertEquals(tmp.resolve("home/cache").toAbsolutePath().toString(), p.get("ENGINE_CACHE_DIR"));
		}
	}

	@Test
	void theCudaBuildLivesInDjlsCacheLayoutAndMustBeFetchedFirst() {
		final TorchBuild b = TorchBuild.choose(env("cuda", "", "", LINUX));
		assertEquals(tmp.resolve("home/cache/pytorch/2.7.1-cu128-linux-x86_64").toAbsolutePath(), b.folder().orElseThrow());
		final InvalidInputException e = assertThrows(InvalidInputException.class, b::requireInstalled);
		assertTrue(e.getMessage().contains("is not in " + b.folder().orElseThrow() + " yet") && e.getMessage().contains("UNet3+ Engine"), e.getMessage());
	}

	@Test
	void djlsOwnVariablesMayNotContradictTheChoice() throws IOException {
		final Map<String, String> vars = new HashMap<>(env("", "", "", LINUX).variables());
		vars.put("PYTORCH_LIBRARY_PATH", "/opt/libtorch/lib");
		InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchBuild.choose(new TorchBuild.Environment(vars, Map.of(), LINUX)));
		assertTrue(e.getMessage().contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib makes DJL load that folder"), e.getMessage());
		vars.remove("PYTORCH_LIBRARY_PATH");
		vars.put("PYTORCH_FLAVOR", "cu128");
		e = assertThrows(InvalidInputException.class, () -> TorchBuild.choose(new TorchBuild.Environment(vars, Map.of(), LINUX)));
		assertTrue(e.getMessage().contains("PYTORCH_FLAVOR=cu128 contradicts"), e.getMessage());
		vars.put("PYTORCH_FLAVOR", "cpu");
		assertEquals(TorchBuild.Kind.CPU, TorchBuild.choose(new TorchBuild.Environment(vars, Map.of(), LINUX)).kind());
		// the same folder in both is no contradiction
		final Path lib = layout("pip:2.7.1+cu128:cuda");
		vars.clear();
		vars.putAll(env(lib.toString(), "", "", LINUX).variables());
		vars.put("PYTORCH_LIBRARY_PATH", lib.toString());
		assertEquals(TorchBuild.Kind.FOLDER, TorchBuild.choose(new TorchBuild.Environment(vars, Map.of(), LINUX)).kind());
	}

	@Test
	void thePreferenceIsCheckedSavedAndReadAtTheNextStartAndTheEnvironmentBeatsIt() throws IOException {
		final TorchBuild.Environment plain = env("", "", "", LINUX);
		assertThrows(InvalidInputException.class, () -> TorchBuild.savePreference(plain, "/no/such/dir", null));
		assertFalse(Files.exists(tmp.resolve("home").resolve(TorchBuild.PREFERENCE_FILE)), "a refused preference writes nothing");
		assertEquals(TorchBuild.Kind.CUDA, TorchBuild.savePreference(plain, "cuda", null).kind());
		final TorchBuild next = TorchBuild.choose(plain);
		assertEquals(TorchBuild.Kind.CUDA, next.kind());
		assertTrue(next.origin().startsWith("preference "), next.origin());
		assertEquals(TorchBuild.Kind.CPU, TorchBuild.choose(env("cpu", "", "", LINUX)).kind(), "the environment variable beats the preference");
		assertEquals(TorchBuild.Kind.CPU, TorchBuild.choose(env("", "", "cpu", LINUX)).kind(), "the system property beats the preference");
		final Path lib = layout("bare:cuda");
		final TorchBuild folder = TorchBuild.savePreference(plain, lib.toString(), "cu128");
		assertEquals("cu128", folder.flavor());
		final TorchBuild again = TorchBuild.choose(plain);
		assertEquals(lib, again.folder().orElseThrow());
		assertEquals("cu128", again.flavor());
	}

	@Test
	void classifiersAreDjls() {
		assertEquals("linux-x86_64", TorchBuild.classifier("Linux", "amd64"));
		assertEquals("win-x86_64", TorchBuild.classifier("Windows 11", "amd64"));
		assertEquals("osx-aarch64", TorchBuild.classifier("Mac OS X", "aarch64"));
		assertEquals("linux-aarch64", TorchBuild.classifier("Linux", "aarch64"));
		assertEquals(ai.djl.util.Platform.detectPlatform("pytorch").getClassifier(),
				TorchBuild.classifier(System.getProperty("os.name"), System.getProperty("os.arch")));
	}
}
