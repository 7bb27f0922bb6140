package io.github.unet3p.fiji.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.fiji.updatesite.UpdaterRules.Seen;
import io.github.unet3p.fiji.updatesite.UpdaterRules.Status;

/**
 * A user installs release A of the site, the site publishes release B (a changed plugin jar under
 * a new version, a changed PyTorch native jar under a new version, a dropped jar, a renamed macro),
 * and the user updates: classified and applied with the updater's rules ({@link UpdaterRules}).
 */
class SimulatedUpdateTest {

	@TempDir
	Path tmp;

	private static final long A = 20261201100000L, B = 20261203100000L;

	/** Release A: what the update-site profile stages, in small. */
	private Path releaseA() throws IOException {
		final Path s = tmp.resolve("staging-a");
		TestJars.jar(s.resolve("jars/unet3p-fiji-0.1.0.jar"), null, Map.of("io/github/unet3p/Cmd.class", "version A"));
		TestJars.jar(s.resolve("jars/pytorch-jni-2.7.1-0.36.0.jar"), "ai.djl.pytorch_jni", Map.of("jnilib/linux-x86_64/libdjl_torch.so", "jni"));
		TestJars.jar(s.resolve("jars/linux64/pytorch-native-cpu-2.7.1.jar"), "ai.djl.pytorch_native_cpu_linux-x86_64",
				Map.of("pytorch/cpu/linux-x86_64/libtorch_cpu.so", "torch 2.7.1 linux"));
		TestJars.jar(s.resolve("jars/win64/pytorch-native-cpu-2.7.1.jar"), "ai.djl.pytorch_native_cpu_win-x86_64",
				Map.of("pytorch/cpu/win-x86_64/torch_cpu.dll", "torch 2.7.1 windows"));
		TestJars.jar(s.resolve("jars/linux64/helper-1.0.jar"), null, Map.of("helper/lib.so", "helper"));
		Files.createDirectories(s.resolve("macros"));
		Files.writeString(s.resolve("macros/demo.ijm"), "print(1);\n");
		return s;
	}

	/** Release B: plugin and PyTorch natives changed, the jni unchanged, the helper dropped, the macro renamed. */
	private Path releaseB() throws IOException {
		final Path s = tmp.resolve("staging-b");
		TestJars.jar(s.resolve("jars/unet3p-fiji-0.2.0.jar"), null, Map.of("io/github/unet3p/Cmd.class", "version B"));
		TestJars.jar(s.resolve("jars/pytorch-jni-2.7.1-0.36.0.jar"), "ai.djl.pytorch_jni", Map.of("jnilib/linux-x86_64/libdjl_torch.so", "jni"));
		TestJars.jar(s.resolve("jars/linux64/pytorch-native-cpu-2.8.0.jar"), "ai.djl.pytorch_native_cpu_linux-x86_64",
				Map.of("pytorch/cpu/linux-x86_64/libtorch_cpu.so", "torch 2.8.0 linux"));
		TestJars.jar(s.resolve("jars/win64/pytorch-native-cpu-2.8.0.jar"), "ai.djl.pytorch_native_cpu_win-x86_64",
				Map.of("pytorch/cpu/win-x86_64/torch_cpu.dll", "torch 2.8.0 windows"));
		Files.createDirectories(s.resolve("macros"));
		Files.writeString(s.resolve("macros/unet3p-demo.ijm"), "print(1);\n");
		return s;
	}

	/** A Fiji.app with release A installed on {@code platform}, and a jar of Fiji's own. */
	private Path installA(final Path siteA, final String platform) throws IOException {
		final Path app = tmp.resolve("Fiji-" + platform + ".app");
		TestJars.jar(app.resolve("jars/ij-1.54p.jar"), null, Map.of("ij/IJ.class", "ij"));
		final SiteIndex a = UpdateSiteDb.read(siteA.resolve(UpdateSiteDb.FILE));
		UpdaterRules.update(a, siteA, app, platform);
		for (final Seen s : UpdaterRules.classify(a, app, platform).values())
			assertEquals(s.sitePath() == null ? Status.LOCAL_ONLY : Status.INSTALLED, s.status(), s.toString());
		return app;
	}

	@Test
	void installedFilesAreUpdatedAndNoOldVersionRemains() throws IOException {
		final Path siteA = tmp.resolve("site-a"), siteB = tmp.resolve("site-b");
		UpdateSiteWriter.write(releaseA(), siteA, A);
		for (final String platform : List.of("linux64", "win64")) {
			final Path app = installA(siteA, platform);
			if (Files.exists(siteB)) UpdateSiteWriter.deleteTree(siteB);
			UpdateSiteWriter.write(releaseB(), siteB, B, UpdateSiteWriter.readPublished(siteA.resolve(UpdateSiteDb.FILE).toUri().toString()));
			final SiteIndex b = UpdateSiteDb.read(siteB.resolve(UpdateSiteDb.FILE));

			final Map<String, Status> seen = statuses(UpdaterRules.classify(b, app, platform));
			final Map<String, Status> expected = new TreeMap<>();
			expected.put("jars/unet3p-fiji.jar", Status.UPDATEABLE);
			expected.put("jars/" + platform + "/pytorch-native-cpu.jar", Status.UPDATEABLE);
			expected.put("jars/pytorch-jni.jar", Status.INSTALLED);
			expected.put("jars/ij.jar", Status.LOCAL_ONLY);
			expected.put("macros/demo.ijm", Status.OBSOLETE);
			expected.put("macros/unet3p-demo.ijm", Status.NOT_INSTALLED);
			if (platform.equals("linux64")) expected.put("jars/linux64/helper.jar", Status.OBSOLETE);
			assertEquals(expected, seen, platform);

			final List<String> removed = UpdaterRules.update(b, siteB, app, platform);

			assertTrue(removed.containsAll(List.of("jars/unet3p-fiji-0.1.0.jar", "jars/" + platform + "/pytorch-native-cpu-2.7.1.jar", "macros/demo.ijm")),
					removed.toString());
			assertEquals(List.of("pytorch-native-cpu-2.8.0.jar"), list(app.resolve("jars/" + platform)), "only the new native jar remains");
			assertEquals(List.of("ij-1.54p.jar", "pytorch-jni-2.7.1-0.36.0.jar", "unet3p-fiji-0.2.0.jar"), list(app.resolve("jars")));
			for (final Seen s : UpdaterRules.classify(b, app, platform).values())
				assertTrue(s.status() == Status.INSTALLED || s.status() == Status.LOCAL_ONLY || s.status() == Status.OBSOLETE_UNINSTALLED, s.toString());
			PlatformJars.checkModulePath(app.resolve("jars/" + platform));
		}
	}

	@Test
	void theIndexKeepsEveryVersionAcrossReleases() throws IOException {
		final Path siteA = tmp.resolve("site-a"), siteB = tmp.resolve("site-b"), siteC = tmp.resolve("site-c");
		UpdateSiteWriter.write(releaseA(), siteA, A);
		UpdateSiteWriter.write(releaseB(), siteB, B, UpdateSiteDb.read(siteA.resolve(UpdateSiteDb.FILE)));
		final SiteIndex a = UpdateSiteDb.read(siteA.resolve(UpdateSiteDb.FILE)), b = UpdateSiteDb.read(siteB.resolve(UpdateSiteDb.FILE));
		final long c = 20261205100000L;
		final SiteIndex indexC = UpdateSiteWriter.write(releaseB(), siteC, c, b);
		final SiteFile pluginA = find(a, "jars/unet3p-fiji-0.1.0.jar"), pluginB = find(b, "jars/unet3p-fiji-0.2.0.jar"),
				pluginC = find(indexC, "jars/unet3p-fiji-0.2.0.jar");
		assertEquals(List.of(new PreviousVersion("jars/unet3p-fiji-0.1.0.jar", pluginA.checksum(), A, B)), pluginB.previous());
		assertEquals(List.of(pluginB.previous().get(0), new PreviousVersion("jars/unet3p-fiji-0.2.0.jar", pluginB.checksum(), B, c)), pluginC.previous());
		assertEquals(indexC, UpdateSiteDb.read(siteC.resolve(UpdateSiteDb.FILE)), "what is written is what is read");
		final ObsoleteFile helper = indexC.obsolete().stream().filter(f -> f.path().equals("jars/linux64/helper-1.0.jar")).findFirst().orElseThrow();
		assertEquals("linux64", helper.platform());
		assertEquals(1, helper.previous().size(), "an obsolete file stays obsolete with the versions it had");
	}

	@Test
	void withoutTheHistoryTodaysUsersWouldBeStuck() throws IOException {
		final Path siteA = tmp.resolve("site-a"), siteB = tmp.resolve("site-b");
		UpdateSiteWriter.write(releaseA(), siteA, A);
		final Path app = installA(siteA, "linux64");
		UpdateSiteWriter.write(releaseB(), siteB, B);
		final Map<String, Status> seen = statuses(UpdaterRules.classify(UpdateSiteDb.read(siteB.resolve(UpdateSiteDb.FILE)), app, "linux64"));
		assertEquals(Status.MODIFIED, seen.get("jars/unet3p-fiji.jar"), "the updater never overwrites a 'locally modified' file");
		assertEquals(Status.MODIFIED, seen.get("jars/linux64/pytorch-native-cpu.jar"));
		assertEquals(Status.LOCAL_ONLY, seen.get("jars/linux64/helper.jar"), "and leaves a dropped file behind");
	}

	private static SiteFile find(final SiteIndex index, final String path) {
		return index.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError(path + " not in " + index));
	}

	private static Map<String, Status> statuses(final Map<String, Seen> seen) {
		return seen.values().stream().collect(Collectors.toMap(Seen::key, Seen::status, (x, y) -> x, TreeMap::new));
	}

	private static List<String> list(final Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
		}
	}
}
