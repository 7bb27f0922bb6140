package io.github.unet3p.fiji.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The built site in a Fiji-shaped installation, started the way Fiji's launcher starts Java.
 *
 * <p>{@code mvn verify} builds the linux64 part of the update site into
 * {@code target/fiji-test/site} and copies Fiji's own jars, at the versions pom-scijava manages,
 * into {@code target/fiji-test/fiji-jars} (both from Maven Central at build time). This test lays
 * out {@code Fiji.app} from the site by the updater's rules ({@link UpdaterRules}: {@code jars/*.jar},
 * {@code jars/linux64/*.jar}, names without timestamps), adds Fiji's jars, and starts Java with the
 * class path, module path and options of Fiji's Jaunch configuration ({@code config/fiji.toml} of
 * fiji/fiji and Jaunch's {@code jvm.toml}) for Linux x64 on Java 9+, as
 * {@code fiji-linux-x64 --headless --main-class=FijiSessionMain} would.
 */
class FijiInstallationIT {

	private static final String PLATFORM = "linux64";

	/** Fiji's launcher line for JavaFX on Linux x64, Java 9+. */
	private static final String ADD_JAVAFX = "--add-modules=javafx.base,javafx.controls,javafx.fxml,javafx.graphics,javafx.media,javafx.web";

	private static Path dir, site, app;

	@BeforeAll
	static void installTheSite() throws IOException {
		final String d = System.getProperty("fiji.test.dir");
		assertTrue(d != null, "run by failsafe (mvn verify), which sets fiji.test.dir");
		dir = Path.of(d);
		// NB: -Dfiji.test.site=<folder> installs another site instead (an older release, say).
		site = Path.of(System.getProperty("fiji.test.site", "").isBlank() ? dir.resolve("site").toString() : System.getProperty("fiji.test.site"));
		app = dir.resolve("Fiji.app");
		UpdateSiteWriter.deleteTree(app);
		final SiteIndex index = UpdateSiteDb.read(site.resolve(UpdateSiteDb.FILE));
		UpdaterRules.update(index, site, app, PLATFORM);
		final Set<String> shipped = index.files().stream().map(f -> SiteHistory.key(f.path())).collect(Collectors.toSet());
		for (final String folder : List.of("", PLATFORM + "/")) {
			Files.createDirectories(app.resolve("jars/" + folder));
			for (final Path jar : list(dir.resolve("fiji-jars/" + folder), "*.jar")) {
				assertFalse(shipped.contains(SiteHistory.key("jars/" + folder + jar.getFileName())), "the site must not replace Fiji's " + jar.getFileName());
				Files.copy(jar, app.resolve("jars/" + folder).resolve(jar.getFileName()));
			}
		}
	}

	/** Fiji's jars here are the versions pom-scijava manages, read from its POM. */
	@Test
	void fijisJarsAreThoseOfPomScijava() throws Exception {
		final Properties managed = new Properties();
		final Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("pom-scijava.pom").toFile()).getDocumentElement();
		Element properties = null;
		for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling())
			if (n.getNodeName().equals("properties")) properties = (Element) n;
		final NodeList children = properties.getChildNodes();
		for (int i = 0; i < children.getLength(); i++)
			if (children.item(i).getNodeType() == Node.ELEMENT_NODE) managed.setProperty(children.item(i).getNodeName(), children.item(i).getTextContent().trim());
		final Map<String, String> seen = new TreeMap<>();
		for (final Path jar : list(dir.resolve("fiji-jars"), "*.jar")) {
			final Matcher m = Pattern.compile("(.+?)-(\\d.*)\\.jar").matcher(jar.getFileName().toString());
			assertTrue(m.matches(), jar.toString());
			String version = managed.getProperty(m.group(1) + ".version");
			while (version != null && version.startsWith("${"))
				version = managed.getProperty(version.substring(2, version.length() - 1));
			assertEquals(version, m.group(2), m.group(1) + " is at pom-scijava's version");
			seen.put(m.group(1), m.group(2));
		}
		for (final Path jar : list(dir.resolve("fiji-jars/" + PLATFORM), "*.jar")) {
			final Matcher m = Pattern.compile("(javafx-[a-z]+)-(.+)-linux\\.jar").matcher(jar.getFileName().toString());
			assertTrue(m.matches(), jar.toString());
			assertEquals(managed.getProperty("javafx.version"), m.group(2), m.group(1) + " is at pom-scijava's version");
			seen.put(m.group(1), m.group(2));
		}
		assertTrue(seen.keySet().containsAll(List.of("gson", "jna", "slf4j-api", "imglib2", "scijava-common", "ij", "javafx-web")), seen.toString());
		System.out.println("Fiji's jars (" + dir.resolve("pom-scijava.pom") + "): " + seen);
	}

	/** Acceptance: {@code java --module-path <platform folder> -version}; and today's layout, which fails. */
	@Test
	void thePlatformFolderStartsJavaWhereTodaysSiteDidNot() throws IOException, InterruptedException, URISyntaxException {
		final Run repaired = java(List.of("--module-path=" + app.resolve("jars/" + PLATFORM), "-version"), 60);
		assertEquals(0, repaired.exit(), repaired.output());
		final Run withJavaFx = java(List.of("--module-path=" + app.resolve("jars/" + PLATFORM), ADD_JAVAFX, "--list-modules"), 60);
		assertEquals(0, withJavaFx.exit(), withJavaFx.output());
		assertTrue(withJavaFx.output().contains("javafx.web@") && withJavaFx.output().contains("ai.djl.pytorch_native_cpu_linux_x86_64@"),
				withJavaFx.output());

		final URL lib = getClass().getClassLoader().getResource("pytorch/cpu/linux-x86_64/libc10.so");
		final Path djl = Path.of(new URL(lib.getPath().substring(0, lib.getPath().indexOf("!/"))).toURI());
		final Path today = Files.createDirectories(dir.resolve("todays-" + PLATFORM));
		final Path jar = today.resolve("pytorch-native-cpu-2.7.1-linux-x86_64.jar");
		Files.deleteIfExists(jar);
		Files.createSymbolicLink(jar, djl);
		final Run old = java(List.of("--module-path=" + today, "-version"), 60);
		System.out.println("today's site (DJL's jar as is in jars/linux64): exit " + old.exit() + "\n" + old.output());
		assertNotEquals(0, old.exit());
		assertTrue(old.output().contains("Invalid module name"), old.output());
	}

	/**
	 * Acceptance (issue 23): the site ships no jar under an updater key of pom-scijava's managed
	 * artifacts (the POM Maven resolved into {@code target/fiji-test}), no generic {@code jars/api.jar},
	 * and protobuf only relocated inside the plugin jar.
	 */
	@Test
	void theSiteShipsNoJarFijiShipsAndProtobufOnlyRelocated() throws IOException {
		final Map<String, String> managed = FijiJars.managed(dir.resolve("pom-scijava.pom"));
		assertTrue(managed.containsKey("jars/protobuf-java.jar") && managed.containsKey("jars/gson.jar") && managed.size() > 500, managed.size() + " managed");
		final List<SiteFile> files = UpdateSiteDb.read(site.resolve(UpdateSiteDb.FILE)).files();
		final List<String> clashes = new ArrayList<>();
		for (final SiteFile f : files) {
			final String key = SiteHistory.key(f.path());
			if (managed.containsKey(key) && !FijiJars.SHARED_ON_PURPOSE.containsKey(key)) clashes.add(f.path() + " = Fiji's " + managed.get(key));
			assertNotEquals("jars/api.jar", key, "DJL's api jar under a name that cannot collide");
		}
		assertEquals(List.of(), clashes);
		assertTrue(files.stream().anyMatch(f -> f.path().matches("jars/djl-api-[0-9.]+\\.jar")), files.toString());
		final SiteFile plugin = files.stream().filter(f -> f.path().startsWith("jars/unet3p-fiji-")).findFirst().orElseThrow();
		int relocated = 0;
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(site.resolve(plugin.storedName()).toFile())) {
			for (final java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
				assertFalse(e.getName().startsWith("com/google/protobuf/"), e.getName());
				if (!e.getName().endsWith(".class")) continue;
				if (e.getName().startsWith("io/github/unet3p/shaded/protobuf/")) relocated++;
				try (InputStream in = zip.getInputStream(e)) {
					assertFalse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("com/google/protobuf/"), e.getName() + " refers to Fiji's protobuf");
				}
			}
		}
		System.out.println("plugin jar " + plugin.path() + ": " + plugin.size() + " bytes, " + relocated + " relocated protobuf classes; no shipped file is one of "
				+ managed.size() + " pom-scijava artifacts");
		assertTrue(relocated > 100, relocated + " relocated protobuf classes");
	}

	/**
	 * Acceptance (issue 23): another site's jar of the module the site's PyTorch natives are, in
	 * {@code jars/linux64}, is refused by the writer's check naming both jars, and Java itself
	 * refuses to start with that folder on its module path.
	 */
	@Test
	void anotherSitesJarOfTheSameModuleIsRefusedByTheWriterAsByJava() throws IOException, InterruptedException {
		final Path other = dir.resolve("other-site/jars");
		UpdateSiteWriter.deleteTree(other.getParent());
		Files.createDirectories(other.resolve(PLATFORM));
		Path ours = null;
		for (final Path jar : list(app.resolve("jars/" + PLATFORM), "*.jar")) {
			Files.createSymbolicLink(other.resolve(PLATFORM).resolve(jar.getFileName()), jar.toAbsolutePath());
			if (jar.getFileName().toString().startsWith("pytorch-native-cpu-")) ours = jar;
		}
		UpdateSiteWriter.verify(site, other);
		// NB: a copy of the site's natives under another site's name: another updater key, one module name.
		final Path theirs = other.resolve(PLATFORM).resolve("djl-pytorch-native-cpu-2.6.0.jar");
		Files.createSymbolicLink(theirs, ours.toAbsolutePath());
		final IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> UpdateSiteWriter.verify(site, other));
		System.out.println("the writer: " + refused.getMessage());
		assertTrue(refused.getMessage().contains(ours.getFileName() + " (this site)")
				&& refused.getMessage().contains(theirs.getFileName() + " (installed in " + other.resolve(PLATFORM) + ")"), refused.getMessage());
		final Run java = java(List.of("--module-path=" + other.resolve(PLATFORM), "-version"), 60);
		System.out.println("java --module-path with both: exit " + java.exit() + "\n" + java.output());
		assertNotEquals(0, java.exit());
		assertTrue(java.output().contains("Two versions of module ai.djl.pytorch_native_cpu_linux_x86_64"), java.output());
	}

	/** The pipeline, through SciJava's command service, in a JVM started as Fiji starts it. */
	@Test
	void thePipelineRunsInAFijiShapedJvm() throws IOException, InterruptedException {
		final Path work = dir.resolve("session");
		UpdateSiteWriter.deleteTree(work);
		Files.createDirectories(work);
		final List<String> args = new ArrayList<>(fijiRuntimeArgs());
		// NB: a fresh user: SciJava fills a key a run leaves out with the value persisted by an
		// earlier run (Evaluate's optional model, say), and this machine's Java preferences hold
		// other tests' values.
		args.add("-Djava.util.prefs.userRoot=" + work.resolve("user-prefs"));
		args.add("-Djava.class.path=" + classPath());
		args.add(FijiSessionMain.class.getName());
		args.add(work.toString());
		final long t0 = System.nanoTime();
		final Run run = java(args, 600);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		Files.writeString(dir.resolve("session.log"), String.join(" ", args) + "\n\n" + run.output());
		System.out.printf("Fiji-shaped session: exit %d after %.1f s%n%s%n", run.exit(), seconds, run.output());
		assertEquals(0, run.exit(), run.output());
		assertTrue(run.output().contains(FijiSessionMain.DONE), run.output());
		assertTrue(Files.isRegularFile(work.resolve("model/unet3p.json")));
		assertTrue(Files.isRegularFile(work.resolve("labels/segmentation-0.nii.gz")));
		assertTrue(Files.isRegularFile(work.resolve("model/model.onnx")));
		assertTrue(Files.isRegularFile(work.resolve("labels-onnxruntime/segmentation-0.nii.gz")));
	}

	/**
	 * The JVM options of {@code config/fiji.toml} (fiji/fiji) and Jaunch's {@code jvm.toml} for
	 * {@code --headless} on Linux x64 with Java 9+, in their order. Left out: the splash image and
	 * the python settings; {@code -Xmx} is 2 GB rather than 75% of the RAM of a shared test machine.
	 */
	static List<String> fijiRuntimeArgs() {
		final String a = app.toAbsolutePath().toString();
		return List.of("-Xmx2g", "-XX:+UseG1GC", "-Dpatch.ij1=false", "--module-path=" + a + "/jars/linux64", ADD_JAVAFX, "-Dpython.cachedir.skip=true",
				"-Dplugins.dir=" + a, "-Dimagej.dir=" + a, "-Dij.dir=" + a, "-Dfiji.dir=" + a, "-Dfiji.executable=" + a + "/fiji-linux-x64",
				"-Dij.executable=" + a + "/fiji-linux-x64", "-Djava.library.path=" + a + "/lib/linux64", "-Djna.library.path=" + a + "/lib/linux64",
				"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dscijava.app.unlock-modules=true",
				"-Dscijava.app.name=Fiji", "-Dscijava.app.directory=" + a, "-Dscijava.app.executable=" + a + "/fiji-linux-x64",
				"-Dscijava.app.java-version-minimum=1.8", "-Dscijava.app.java-version-recommended=21", "-Dscijava.app.java-platform=linux64",
				"-Dscijava.context.strict=false", "-Djavafx.allowjs=true", "-Dsun.java2d.uiScale=true", "-Dpython.console.encoding=UTF-8",
				"-Djava.awt.headless=true", "-Dapple.awt.UIElement=true");
	}

	/** {@code jars/*.jar}, {@code jars/*}{@code /*.jar} (Fiji's class path), then the session's class. */
	static String classPath() throws IOException {
		final List<String> cp = new ArrayList<>();
		for (final Path jar : list(app.resolve("jars"), "*.jar"))
			cp.add(jar.toString());
		try (Stream<Path> dirs = Files.list(app.resolve("jars"))) {
			for (final Path d : (Iterable<Path>) dirs.filter(Files::isDirectory).sorted()::iterator)
				for (final Path jar : list(d, "*.jar"))
					cp.add(jar.toString());
		}
		cp.add(driver().toString());
		return String.join(java.io.File.pathSeparator, cp);
	}

	/** A folder with only {@link FijiSessionMain}'s class files. */
	private static Path driver() throws IOException {
		final String pkg = FijiSessionMain.class.getPackageName().replace('.', '/');
		final Path classes;
		try {
			classes = Path.of(FijiSessionMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (final URISyntaxException e) {
			throw new IOException(e);
		}
		final Path out = dir.resolve("driver");
		UpdateSiteWriter.deleteTree(out);
		Files.createDirectories(out.resolve(pkg));
		for (final Path c : list(classes.resolve(pkg), "FijiSessionMain*.class"))
			Files.copy(c, out.resolve(pkg).resolve(c.getFileName()));
		return out;
	}

	record Run(int exit, String output) {}

	private static Run java(final List<String> args, final int timeoutSeconds) throws IOException, InterruptedException {
		final List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(args);
		final Path log = Files.createTempFile(dir, "java", ".log");
		try {
			final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				p.destroyForcibly().waitFor();
				return new Run(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log, StandardCharsets.UTF_8));
			}
			return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(log);
		}
	}

	private static List<Path> list(final Path folder, final String glob) throws IOException {
		final List<Path> out = new ArrayList<>();
		try (var stream = Files.newDirectoryStream(folder, glob)) {
			stream.forEach(out::add);
		}
		out.sort(null);
		return out;
	}
}
