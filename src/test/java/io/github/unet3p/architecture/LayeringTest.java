package io.github.unet3p.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The core is a plain library: no class under {@code io.github.unet3p.core} refers to SciJava,
 * ImageJ 1.x, AWT, Swing or ImageIO. And every package keeps to the dependencies its
 * {@code package-info.java} declares in its line {@code Depends on: ...} (other packages of the
 * plugin and library families). Checked on the compiled classes' constant pools, so imports,
 * fully-qualified names and signatures are all caught.
 */
class LayeringTest {

	/** The library families a package may name in its {@code Depends on:} line, by class-name prefix. */
	static final Map<String, String> LIBRARIES = Map.ofEntries(Map.entry("DJL", "ai/djl/"), Map.entry("ImgLib2", "net/imglib2/"),
		Map.entry("Gson", "com/google/gson/"), Map.entry("SciJava", "org/scijava/"), Map.entry("ImageJ", "ij/"), Map.entry("AWT", "java/awt/"),
		Map.entry("Swing", "javax/swing/"), Map.entry("ImageIO", "javax/imageio/"), Map.entry("ONNX Runtime", "ai/onnxruntime/"),
		Map.entry("Protobuf", "com/google/protobuf/"), Map.entry("Spark", "org/apache/spark/"), Map.entry("Hadoop", "org/apache/hadoop/"), Map.entry("jHDF", "io/jhdf/"));
	private static final Pattern DEPENDS = Pattern.compile("Depends on:([^.]*(?:\\.[a-z][^.]*)*)\\.");

	@Test
	void everyPackageKeepsToItsDeclaredDependencies() throws IOException {
		final Path classes = Path.of("target/classes/io/github/unet3p");
		final Path sources = Path.of("src/main/java/io/github/unet3p");
		final List<String> offences = new ArrayList<>();
		try (Stream<Path> dirs = Files.walk(classes)) {
			for (final Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
				final String pkg = classes.relativize(dir).toString().replace('/', '.').replace('\\', '.');
				if (pkg.isEmpty() || !hasClasses(dir)) continue;
				final Path info = sources.resolve(classes.relativize(dir)).resolve("package-info.java");
				if (!Files.isRegularFile(info)) {
					offences.add(pkg + ": no package-info.java");
					continue;
				}
				final Set<String> allowed = declared(Files.readString(info));
				if (allowed == null) {
					offences.add(pkg + ": package-info.java has no line 'Depends on: ...'");
					continue;
				}
				for (final String name : allowed)
					if (!LIBRARIES.containsKey(name) && !name.equals("the JDK only") && !Files.isDirectory(classes.resolve(name.replace('.', '/'))))
						offences.add(pkg + ": declares '" + name + "', which is neither a package of the plugin nor a known library");
				try (Stream<Path> files = Files.list(dir)) {
					for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator)
						for (final String s : utf8Constants(f))
							for (final String used : uses(s, pkg))
								if (!allowed.contains(used)) offences.add(pkg + "." + f.getFileName() + " uses " + used + " (" + s + "), not in its 'Depends on:' line");
				}
			}
		}
		assertTrue(offences.isEmpty(), String.join("\n", new TreeSet<>(offences)));
	}

	@Test
	void theDependencyLineIsRead() {
		assertEquals(Set.of("core.util", "core.volume", "ImgLib2"), declared(" * <p>Depends on: core.util, core.volume, ImgLib2.\n */"));
		assertEquals(Set.of("core.util", "fiji.io", "AWT"), declared(" * <p>Depends on: core.util,\n * fiji.io, AWT.\n"));
		assertEquals(Set.of("core.model"), uses("Lio/github/unet3p/core/model/ModelSpec;", "core.train"));
		assertEquals(Set.of("DJL"), uses("ai/djl/ndarray/NDArray", "core.train"));
	}

	/** The names of a {@code Depends on:} line, or null when there is none. */
	static Set<String> declared(final String packageInfo) {
		final Matcher m = DEPENDS.matcher(packageInfo);
		if (!m.find()) return null;
		final Set<String> out = new LinkedHashSet<>();
		for (final String part : m.group(1).replace("*", " ").split(","))
			if (!part.isBlank()) out.add(part.trim().replaceAll("\\s+", " "));
		return out;
	}

	/** The plugin packages (other than {@code self}) and library families one constant refers to. */
	static Set<String> uses(final String constant, final String self) {
		final Set<String> out = new LinkedHashSet<>();
		final Matcher m = Pattern.compile("io/github/unet3p/([a-z/]+)/[A-Z]").matcher(constant);
		while (m.find()) {
			final String pkg = m.group(1).replace('/', '.');
			if (!pkg.equals(self)) out.add(pkg);
		}
		for (final Map.Entry<String, String> e : LIBRARIES.entrySet())
			if (constant.startsWith(e.getValue()) || constant.contains("L" + e.getValue()) || constant.contains("[" + e.getValue())) out.add(e.getKey());
		return out;
	}

	private static boolean hasClasses(final Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.anyMatch(p -> p.toString().endsWith(".class"));
		}
	}

	private static final String[] FORBIDDEN = { "org/scijava/", "ij/", "java/awt/", "javax/swing/", "javax/imageio/" };

	@Test
	void coreRefersToNoFijiOrUiTypes() throws IOException {
		final Path core = Path.of("target/classes/io/github/unet3p/core");
		assertTrue(Files.isDirectory(core), "compiled core classes expected at " + core.toAbsolutePath());
		final List<String> offences = new ArrayList<>();
		try (Stream<Path> files = Files.walk(core)) {
			for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator)
				for (final String s : utf8Constants(f))
					for (final String bad : FORBIDDEN)
						if (s.startsWith(bad) || s.contains("L" + bad) || s.contains("[" + bad)) offences.add(core.relativize(f) + " -> " + s);
		}
		assertTrue(offences.isEmpty(), "core must not depend on Fiji/UI types:\n" + String.join("\n", offences));
	}

	@Test
	void theScanSeesAForbiddenReference() throws IOException {
		final Path fiji = Path.of("target/classes/io/github/unet3p/fiji/launcher/MacroRunner.class");
		assertTrue(utf8Constants(fiji).stream().anyMatch(s -> s.startsWith("ij/")), "the scan must find ij/ references in a Fiji-side class");
	}

	/** Every CONSTANT_Utf8 string of a class file (class names, descriptors, signatures). */
	static List<String> utf8Constants(final Path classFile) throws IOException {
		return ClassFiles.read(classFile).utf8();
	}
}
