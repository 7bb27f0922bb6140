package io.github.unet3p.fiji.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jar with every platform's natives (ONNX Runtime's layout) becomes a class jar and one natives
 * jar per platform, each a valid module on Fiji's module path, and they update like any other jar.
 */
class PlatformSplitTest {

	@TempDir
	Path tmp;

	private static Path ortLike(final Path staging, final String version, final String lib) throws IOException {
		final Map<String, String> e = new LinkedHashMap<>();
		e.put("ai/onnxruntime/OrtEnvironment.class", "classes " + version);
		e.put("ai/onnxruntime/native/linux-x64/libonnxruntime.so", lib + " linux");
		e.put("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so", lib + " linux arm");
		e.put("ai/onnxruntime/native/win-x64/onnxruntime.dll", lib + " windows");
		e.put("ai/onnxruntime/native/win-x64/onnxruntime.pdb", "debug symbols");
		e.put("ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib", lib + " mac");
		e.put("ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib.dSYM/Contents/Info.plist", "debug symbols");
		return TestJars.jar(staging.resolve("jars/onnxruntime-" + version + ".jar"), "com.microsoft.onnxruntime", e);
	}

	@Test
	void eachPlatformGetsOnlyItsNativesAndTheClassesStayForAll() throws IOException {
		final Path staging = tmp.resolve("staging");
		ortLike(staging, "1.22.0", "ort");
		final List<String> written = PlatformSplit.split(staging, "jars/onnxruntime-1.22.0.jar", "ai/onnxruntime/native/");
		assertEquals(List.of("jars/onnxruntime-1.22.0.jar", "jars/linux-arm64/onnxruntime-natives-1.22.0.jar", "jars/linux64/onnxruntime-natives-1.22.0.jar",
				"jars/macos-arm64/onnxruntime-natives-1.22.0.jar", "jars/win64/onnxruntime-natives-1.22.0.jar"), written);
		assertEquals(Set.of("ai/onnxruntime/OrtEnvironment.class"), files(staging.resolve(written.get(0))));
		assertEquals(Set.of("ai/onnxruntime/native/win-x64/onnxruntime.dll"), files(staging.resolve("jars/win64/onnxruntime-natives-1.22.0.jar")),
				"no debug symbols");
		assertEquals(Set.of("ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib"), files(staging.resolve("jars/macos-arm64/onnxruntime-natives-1.22.0.jar")));
		assertEquals(Set.of("com.microsoft.onnxruntime.natives.linux64"), PlatformJars.checkModulePath(staging.resolve("jars/linux64")));
		assertEquals(Set.of("com.microsoft.onnxruntime.natives.linux_arm64"), PlatformJars.checkModulePath(staging.resolve("jars/linux-arm64")));

		final Path again = tmp.resolve("again");
		ortLike(again, "1.22.0", "ort");
		PlatformSplit.split(again, "jars/onnxruntime-1.22.0.jar", "ai/onnxruntime/native/");
		for (final String path : written)
			assertEquals(UpdaterDigest.of(path, staging.resolve(path)), UpdaterDigest.of(path, again.resolve(path)), "a rebuild is the same version: " + path);
		UpdateSiteWriter.write(staging, tmp.resolve("site"), 20261203100000L);
	}

	@Test
	void anUpgradeReplacesTheSplitJars() throws IOException {
		final Path a = tmp.resolve("a"), b = tmp.resolve("b");
		ortLike(a, "1.22.0", "ort 1.22");
		PlatformSplit.split(a, "jars/onnxruntime-1.22.0.jar", "ai/onnxruntime/native/");
		ortLike(b, "1.23.0", "ort 1.23");
		PlatformSplit.split(b, "jars/onnxruntime-1.23.0.jar", "ai/onnxruntime/native/");
		final Path siteA = tmp.resolve("site-a"), siteB = tmp.resolve("site-b"), app = tmp.resolve("Fiji.app");
		UpdateSiteWriter.write(a, siteA, 20261201100000L);
		UpdaterRules.update(UpdateSiteDb.read(siteA.resolve(UpdateSiteDb.FILE)), siteA, app, "win64");
		UpdateSiteWriter.write(b, siteB, 20261203100000L, UpdateSiteDb.read(siteA.resolve(UpdateSiteDb.FILE)));
		final SiteIndex indexB = UpdateSiteDb.read(siteB.resolve(UpdateSiteDb.FILE));
		for (final UpdaterRules.Seen s : UpdaterRules.classify(indexB, app, "win64").values())
			assertEquals(UpdaterRules.Status.UPDATEABLE, s.status(), s.toString());
		UpdaterRules.update(indexB, siteB, app, "win64");
		assertEquals(List.of("onnxruntime-natives-1.23.0.jar"), List.of(app.resolve("jars/win64").toFile().list()));
		assertTrue(Files.isRegularFile(app.resolve("jars/onnxruntime-1.23.0.jar")) && !Files.exists(app.resolve("jars/onnxruntime-1.22.0.jar")));
	}

	@Test
	void aNativeFolderOfAnUnknownPlatformIsRefused() throws IOException {
		final Path staging = tmp.resolve("staging");
		TestJars.jar(staging.resolve("jars/x-1.0.jar"), null, Map.of("x/native/solaris-sparc/libx.so", "x"));
		final IOException e = assertThrows(IOException.class, () -> PlatformSplit.split(staging, "jars/x-1.0.jar", "x/native/"));
		assertTrue(e.getMessage().contains("solaris-sparc"), e.getMessage());
	}

	private static Set<String> files(final Path jar) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			final Set<String> out = new TreeSet<>();
			zip.stream().filter(e -> !e.isDirectory() && !e.getName().equals("META-INF/MANIFEST.MF")).forEach(e -> out.add(e.getName()));
			return out;
		}
	}
}
