package io.github.unet3p.fiji.updatesite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Jars in a platform folder are on Fiji's module path: an invalid declared module name is
 * repaired without touching any other entry or the updater's checksum, and a folder Java would
 * refuse at startup is refused here.
 */
class PlatformJarsTest {

	@TempDir
	Path tmp;

	@ParameterizedTest
	@CsvSource({ //
			"ai.djl.pytorch_native_cpu_linux-x86_64, ai.djl.pytorch_native_cpu_linux_x86_64", //
			"ai.djl.api,                              ai.djl.api", //
			"org.example.1x,                          org.example._1x", //
			"com.int.native,                          com._int._native", //
			"a..b.,                                   a.b" })
	void moduleNamesAreRepairedToTheNearestLegalName(final String declared, final String repaired) {
		assertEquals(repaired, PlatformJars.moduleName(declared));
		assertTrue(PlatformJars.isModuleName(repaired), repaired);
	}

	@Test
	void anInvalidNameIsRepairedAndEveryOtherEntryKeepsItsBytes() throws IOException {
		final Map<String, String> entries = new LinkedHashMap<>();
		entries.put("pytorch/cpu/linux-x86_64/libc10.so", "not really a library ".repeat(100));
		entries.put("native/lib/pytorch.properties", "#built today\nversion=2.7.1\n");
		final Path jar = TestJars.jar(tmp.resolve("folder/pytorch-native-cpu-2.7.1.jar"), "ai.djl.pytorch_native_cpu_linux-x86_64", entries);
		final Path original = Files.copy(jar, tmp.resolve("original.jar"));
		final FindException before = assertThrows(FindException.class, () -> ModuleFinder.of(jar.getParent()).findAll());
		assertTrue(before.getCause().getMessage().contains("Invalid module name"), before.getCause().getMessage());

		final PlatformJars.Repair repair = PlatformJars.repairModuleName(jar, jar.getFileName().toString());

		assertEquals("ai.djl.pytorch_native_cpu_linux_x86_64", repair.to());
		assertEquals(Set.of("ai.djl.pytorch_native_cpu_linux_x86_64"), PlatformJars.checkModulePath(jar.getParent()));
		assertSameEntriesButTheManifest(original, jar);
		assertEquals(UpdaterDigest.jar(original), UpdaterDigest.jar(jar), "the updater's checksum does not read the manifest");
		assertNull(PlatformJars.repairModuleName(jar, jar.getFileName().toString()), "a valid name is left alone");
	}

	@Test
	void aJarWithoutANameWhoseFileNameGivesNoLegalOneGetsOne() throws IOException {
		final Path jar = TestJars.jar(tmp.resolve("folder/fake-native-linux-x86_64.jar"), null, Map.of("lib.so", "x"));
		assertEquals("fake.native.linux.x86.64", PlatformJars.derivedName(jar.getFileName().toString()));
		assertThrows(FindException.class, () -> ModuleFinder.of(jar.getParent()).findAll());
		assertEquals("fake._native.linux.x86._64", PlatformJars.repairModuleName(jar, jar.getFileName().toString()).to());
		assertEquals(Set.of("fake._native.linux.x86._64"), PlatformJars.checkModulePath(jar.getParent()));
		assertEquals("pytorch.native.cpu", PlatformJars.derivedName("pytorch-native-cpu-2.7.1.jar"), "'native' is a keyword: this name is no help either");
		assertNull(PlatformJars.repairModuleName(TestJars.jar(tmp.resolve("ok/torch-libs-2.7.1.jar"), null, Map.of("lib.so", "x")), "torch-libs-2.7.1.jar"),
				"a legal derived name is left alone");
	}

	/** The real PyTorch native jar of the test class path (the one the site ships for linux64). */
	@Test
	void djlsNativeJarIsRepairedByteForByte() throws IOException, URISyntaxException {
		final URL lib = getClass().getClassLoader().getResource("pytorch/cpu/linux-x86_64/libc10.so");
		assertTrue(lib != null && lib.getProtocol().equals("jar"), "the linux-x86_64 native jar is on the test class path: " + lib);
		final Path djl = Path.of(new URL(lib.getPath().substring(0, lib.getPath().indexOf("!/"))).toURI());
		final Path jar = Files.copy(djl, Files.createDirectories(tmp.resolve("linux64")).resolve("pytorch-native-cpu-2.7.1.jar"));
		assertThrows(FindException.class, () -> ModuleFinder.of(jar.getParent()).findAll(), "DJL's own name is invalid");

		final PlatformJars.Repair repair = PlatformJars.repairModuleName(jar, jar.getFileName().toString());

		assertEquals("ai.djl.pytorch_native_cpu_linux-x86_64", repair.from());
		assertEquals(Set.of("ai.djl.pytorch_native_cpu_linux_x86_64"), PlatformJars.checkModulePath(jar.getParent()));
		assertSameEntriesButTheManifest(djl, jar);
		assertEquals(UpdaterDigest.jar(djl), UpdaterDigest.jar(jar));
	}

	@Test
	void aFolderJavaWouldRefuseIsRefusedWithItsReason() throws IOException {
		final Path unnamed = tmp.resolve("unnamed");
		TestJars.jar(unnamed.resolve("top-1.0.jar"), null, Map.of("Top.class", "x"));
		final IOException top = assertThrows(IOException.class, () -> PlatformJars.checkModulePath(unnamed));
		assertTrue(top.getMessage().contains(unnamed.toString()) && top.getMessage().contains("Top.class"), top.getMessage());

		final Path split = tmp.resolve("split");
		TestJars.jar(split.resolve("one-1.0.jar"), "one", Map.of("p/A.class", "x"));
		TestJars.jar(split.resolve("two-1.0.jar"), "two", Map.of("p/B.class", "x"));
		final IOException twice = assertThrows(IOException.class, () -> PlatformJars.checkModulePath(split));
		assertTrue(twice.getMessage().contains("do not resolve") && twice.getMessage().contains(" p"), twice.getMessage());

		final Path resources = tmp.resolve("resources");
		TestJars.jar(resources.resolve("natives-1.0.jar"), null, Map.of("native/linux-x64/lib.so", "x"));
		assertEquals(Set.of("natives"), PlatformJars.checkModulePath(resources), "a jar of resources only is a module without packages");
	}

	@Test
	void twoJarsOfOneModuleInTheSitesPlatformFolderAreRefusedNamingBoth() throws IOException {
		final Path staging = tmp.resolve("staging");
		TestJars.jar(staging.resolve("jars/linux64/torch-natives-2.7.1.jar"), "ai.djl.pytorch_native_cpu_linux_x86_64", Map.of("a.so", "x"));
		TestJars.jar(staging.resolve("jars/linux64/pytorch-native-cpu-2.5.1.jar"), "ai.djl.pytorch_native_cpu_linux_x86_64", Map.of("b.so", "y"));
		final IOException e = assertThrows(IOException.class, () -> UpdateSiteWriter.write(staging, tmp.resolve("site"), 20261208100000L));
		assertTrue(e.getMessage().contains("jars/linux64") && e.getMessage().contains("pytorch-native-cpu-2.5.1.jar (this site)")
				&& e.getMessage().contains("torch-natives-2.7.1.jar (this site)") && e.getMessage().contains("module ai.djl.pytorch_native_cpu_linux_x86_64"),
				e.getMessage());
		assertFalse(Files.exists(tmp.resolve("site")), "nothing is written");
	}

	/** Another site's jar of the same module in the installation's folder: refused; the site's own older version is replaced, so it is not. */
	@Test
	void anotherSitesJarOfTheSameModuleInTheInstallationIsRefusedNamingBoth() throws IOException {
		final Path staging = tmp.resolve("staging");
		TestJars.jar(staging.resolve("jars/linux64/pytorch-native-cpu-2.7.1.jar"), "ai.djl.pytorch_native_cpu_linux-x86_64", Map.of("a.so", "x"));
		TestJars.jar(staging.resolve("jars/unet3p-fiji-0.2.0.jar"), null, Map.of("p/A.class", "x"));
		final Path installed = tmp.resolve("Fiji.app/jars");
		TestJars.jar(installed.resolve("linux64/pytorch-native-cpu-2.5.1.jar"), "ai.djl.pytorch_native_cpu_linux_x86_64", Map.of("old.so", "x"));
		TestJars.jar(installed.resolve("linux64/javafx-base-19.0.2.1-linux.jar"), "javafx.base", Map.of("javafx/base/A.class", "x"));
		UpdateSiteWriter.write(staging, tmp.resolve("site"), 20261208100000L, SiteIndex.of(List.of()), installed);

		TestJars.jar(installed.resolve("linux64/djl-natives-2.5.1.jar"), "ai.djl.pytorch_native_cpu_linux_x86_64", Map.of("other.so", "x"));
		final IOException e = assertThrows(IOException.class,
				() -> UpdateSiteWriter.write(staging, tmp.resolve("refused"), 20261208100000L, SiteIndex.of(List.of()), installed));
		assertTrue(e.getMessage().contains("djl-natives-2.5.1.jar (installed in " + installed.resolve("linux64") + ")")
				&& e.getMessage().contains("pytorch-native-cpu-2.7.1.jar (this site)") && e.getMessage().contains("--module-path"), e.getMessage());
		assertFalse(e.getMessage().contains("pytorch-native-cpu-2.5.1.jar"), "the site's own older jar is replaced by the update: " + e.getMessage());
		assertFalse(Files.exists(tmp.resolve("refused")), "nothing is written");
	}

	static void assertSameEntriesButTheManifest(final Path a, final Path b) throws IOException {
		try (ZipFile za = new ZipFile(a.toFile()); ZipFile zb = new ZipFile(b.toFile())) {
			final List<String> names = new ArrayList<>();
			za.stream().forEach(e -> names.add(e.getName()));
			final List<String> namesB = new ArrayList<>();
			zb.stream().forEach(e -> namesB.add(e.getName()));
			names.remove("META-INF/MANIFEST.MF");
			assertTrue(namesB.remove("META-INF/MANIFEST.MF"), "the manifest is kept");
			assertEquals(names, namesB, "the same entries, and in the same order but for the manifest");
			for (final String name : names) {
				if (name.equals("META-INF/MANIFEST.MF")) continue;
				final ZipEntry ea = za.getEntry(name), eb = zb.getEntry(name);
				assertEquals(ea.getCrc(), eb.getCrc(), name);
				assertEquals(ea.getCompressedSize(), eb.getCompressedSize(), name + " is copied as stored, not recompressed");
				assertEquals(ea.getMethod(), eb.getMethod(), name);
				if (ea.getSize() < 1 << 20) try (InputStream ia = za.getInputStream(ea); InputStream ib = zb.getInputStream(eb)) {
					assertArrayEquals(ia.readAllBytes(), ib.readAllBytes(), name);
				}
			}
			assertFalse(names.isEmpty());
		}
	}
}
