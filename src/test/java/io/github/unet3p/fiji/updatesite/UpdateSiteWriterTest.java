package io.github.unet3p.fiji.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/**
 * A site built from a Fiji-shaped staging folder: every listed file is stored as
 * {@code <path>-<timestamp>} with the listed size and checksum, platform folders are tagged, a
 * damaged file is caught, and the plugin jar's SciJava index lists every command with its menu.
 */
class UpdateSiteWriterTest {

	@TempDir
	Path tmp;

	private static final long STAMP = 20261126093000L;

	/** The plugin's compiled classes as a jar (what mvn package would put in jars/). */
	private Path pluginJar(final Path dir) throws IOException {
		final Path classes = Path.of("target/classes");
		final Path jar = dir.resolve("jars/unet3p-fiji-0.1.0-SNAPSHOT.jar");
		Files.createDirectories(jar.getParent());
		try (OutputStream raw = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(raw); Stream<Path> walk = Files.walk(classes)) {
			for (final Path f : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
				zip.putNextEntry(new ZipEntry(classes.relativize(f).toString().replace('\\', '/')));
				Files.copy(f, zip);
				zip.closeEntry();
			}
		}
		return jar;
	}

	private Path staging() throws IOException {
		final Path staging = tmp.resolve("staging");
		pluginJar(staging);
		final Path natives = staging.resolve("jars/linux64/fake-native-linux-x86_64.jar");
		Files.createDirectories(natives.getParent());
		try (OutputStream raw = Files.newOutputStream(natives); ZipOutputStream zip = new ZipOutputStream(raw)) {
			zip.putNextEntry(new ZipEntry("native/lib/lib.so"));
			zip.write(new byte[] { 1, 2, 3 });
			zip.closeEntry();
		}
		Files.createDirectories(staging.resolve("macros"));
		Files.writeString(staging.resolve("macros/demo.ijm"), "print(1);\n");
		return staging;
	}

	@Test
	void everyListedFileIsStoredWithItsSizeChecksumAndPlatform() throws IOException {
		final Path staging = staging(), site = tmp.resolve("site");
		final List<SiteFile> files = UpdateSiteWriter.write(staging, site, STAMP);
		UpdateSiteWriter.verify(site);
		final Map<String, SiteFile> byPath = new TreeMap<>();
		for (final SiteFile f : UpdateSiteDb.read(site.resolve("db.xml.gz")).files())
			byPath.put(f.path(), f);
		assertEquals(List.of("jars/linux64/fake-native-linux-x86_64.jar", "jars/unet3p-fiji-0.1.0-SNAPSHOT.jar", "macros/demo.ijm"), List.copyOf(byPath.keySet()));
		assertEquals(files.size(), byPath.size());
		assertTrue(Files.isRegularFile(site.resolve("jars/unet3p-fiji-0.1.0-SNAPSHOT.jar-20261126093000")));
		assertTrue(Files.isRegularFile(site.resolve("jars/linux64/fake-native-linux-x86_64.jar-20261126093000")));
		assertEquals("linux64", byPath.get("jars/linux64/fake-native-linux-x86_64.jar").platform());
		assertNull(byPath.get("jars/unet3p-fiji-0.1.0-SNAPSHOT.jar").platform(), "the plugin jar is for every platform");
		final SiteFile macro = byPath.get("macros/demo.ijm");
		assertEquals(10, macro.size());
		assertEquals("13f399ed73c9ce1ead7021aa8ec0b2319e246de9", macro.checksum(), "sha1sum of \"macros/demo.ijmprint(1);\\n\"");
		assertEquals(STAMP, macro.timestamp());
		try (Stream<Path> walk = Files.walk(site)) {
			assertFalse(walk.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary file is left behind");
		}
		for (final String f : List.of("db.xml.gz", "macros/demo.ijm-20261126093000", "jars/linux64/fake-native-linux-x86_64.jar-20261126093000"))
			assertTrue(Files.getPosixFilePermissions(site.resolve(f)).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
					f + " is readable by the web server's user");
		final String xml = gunzip(site.resolve("db.xml.gz"));
		assertTrue(xml.contains("<plugin filename=\"jars/linux64/fake-native-linux-x86_64.jar\">\n    <platform>linux64</platform>"), xml);
		assertTrue(xml.contains("timestamp=\"20261126093000\""), xml);
	}

	@Test
	void aDamagedOrMissingStoredFileFailsVerificationByName() throws IOException {
		final Path site = tmp.resolve("site");
		UpdateSiteWriter.write(staging(), site, STAMP);
		final Path macro = site.resolve("macros/demo.ijm-20261126093000");
		Files.writeString(macro, "print(2);\n");
		final IOException changed = assertThrows(IOException.class, () -> UpdateSiteWriter.verify(site));
		assertTrue(changed.getMessage().contains("macros/demo.ijm-20261126093000") && changed.getMessage().contains("checksum"), changed.getMessage());
		Files.delete(macro);
		final IOException missing = assertThrows(IOException.class, () -> UpdateSiteWriter.verify(site));
		assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
	}

	@Test
	void thePluginIndexListsEveryCommandWithItsMenuPath() throws IOException, ClassNotFoundException {
		final Path jar = pluginJar(tmp);
		final Map<String, String> indexed = PluginIndex.commands(jar);
		final Map<String, String> declared = new TreeMap<>();
		final Path commands = Path.of("target/classes/io/github/unet3p/fiji/command");
		try (Stream<Path> walk = Files.list(commands)) {
			for (final Path f : (Iterable<Path>) walk::iterator) {
				final String file = f.getFileName().toString();
				if (!file.endsWith(".class") || file.contains("$")) continue;
				final Class<?> c = Class.forName("io.github.unet3p.fiji.command." + file.substring(0, file.length() - 6));
				final Plugin p = c.getAnnotation(Plugin.class);
				if (p != null && p.type() == Command.class) declared.put(c.getName(), p.menuPath());
			}
		}
		assertTrue(declared.containsKey("io.github.unet3p.fiji.command.TrainCommand"), declared.toString());
		assertTrue(declared.containsKey("io.github.unet3p.fiji.command.PrepareImageCommand"), declared.toString());
		assertEquals(declared, indexed);
		for (final String menu : indexed.values())
			assertTrue(menu.startsWith("Plugins>Segmentation>UNet3+>UNet3+ "), menu);
	}

	@Test
	void aPlatformFolderJavaWouldRefuseIsNeverWrittenAndItsNamesAreRepaired() throws IOException {
		final Path staging = staging(), site = tmp.resolve("site");
		UpdateSiteWriter.write(staging, site, STAMP);
		final Path stored = site.resolve("jars/linux64/fake-native-linux-x86_64.jar-20261126093000");
		assertEquals("fake._native.linux.x86._64", PlatformJars.manifest(stored).getMainAttributes().getValue(PlatformJars.AUTOMATIC_MODULE_NAME),
				"'native' in the file name would make Java refuse the folder");

		TestJars.jar(staging.resolve("jars/linux64/classes-1.0.jar"), null, Map.of("Top.class", "x"));
		final Path refused = tmp.resolve("refused");
		final IOException e = assertThrows(IOException.class, () -> UpdateSiteWriter.write(staging, refused, STAMP));
		assertTrue(e.getMessage().contains("jars/linux64") && e.getMessage().contains("Top.class"), e.getMessage());
		assertFalse(Files.exists(refused), "nothing is written");
		assertFalse(Files.exists(tmp.resolve("refused.part")), "nothing is left behind");
	}

	@Test
	void aVersionTheUpdaterCannotStripAndASnapshotAreRefused() throws IOException {
		final IOException win = assertThrows(IOException.class, () -> UpdateSiteWriter.checkPath("jars/win64/pytorch-native-cpu-2.7.1-win-x86_64.jar"));
		assertTrue(win.getMessage().contains("<artifact>-<version>.jar"), win.getMessage());
		UpdateSiteWriter.checkPath("jars/win64/pytorch-native-cpu-2.7.1.jar");
		UpdateSiteWriter.checkPath("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
		UpdateSiteWriter.checkPath("jars/unet3p-fiji-0.2.0.jar");
		UpdateSiteWriter.checkPath("macros/demo.ijm");
		final Path staging = staging();
		final IOException snapshot = assertThrows(IOException.class, () -> UpdateSiteWriter.checkRelease(staging));
		assertTrue(snapshot.getMessage().contains("unet3p-fiji-0.1.0-SNAPSHOT.jar") && snapshot.getMessage().contains("-Drevision"), snapshot.getMessage());
		Files.move(staging.resolve("jars/unet3p-fiji-0.1.0-SNAPSHOT.jar"), staging.resolve("jars/unet3p-fiji-0.1.0.jar"));
		UpdateSiteWriter.checkRelease(staging);
	}

	@Test
	void platformFoldersFollowTheUpdatersNames() {
		assertEquals("win64", UpdateSiteWriter.platformOf("jars/win64/x.jar"));
		assertEquals("macos-arm64", UpdateSiteWriter.platformOf("jars/macos-arm64/x.jar"));
		assertEquals("linux64", UpdateSiteWriter.platformOf("lib/linux64/libx.so"));
		assertNull(UpdateSiteWriter.platformOf("jars/x.jar"));
		assertNull(UpdateSiteWriter.platformOf("jars/bio-formats/x.jar"), "an ordinary subfolder is no platform");
	}

	private static String gunzip(final Path file) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}
}
