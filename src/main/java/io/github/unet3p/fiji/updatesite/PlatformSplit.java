package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Splits a staged jar that carries the natives of every platform (ONNX Runtime's
 * {@code onnxruntime-<version>.jar}: {@code ai/onnxruntime/native/<os>-<arch>/...}) into what the
 * updater can install per platform: {@code jars/<name>-<version>.jar} with the classes and no
 * natives, and {@code jars/<platform>/<name>-natives-<version>.jar} per platform with only that
 * platform's natives (debug symbols left out) and a valid module name, since Fiji's module path
 * holds it. A user then downloads the natives of one platform, and an upgrade replaces both jars
 * (their names carry the version).
 *
 * <p>NB: Java finds the natives as class path resources wherever they are ({@code jars/*}{@code /*.jar}
 * is on Fiji's class path), so the classes need not sit beside them. Entries are written in name
 * order with a fixed time, so the same input gives the same jars.
 */
public final class PlatformSplit {

	/** Native folder names as ONNX Runtime spells them, to the updater's platforms. */
	public static final Map<String, String> OS_ARCH = Map.of("linux-x64", "linux64", "linux-aarch64", "linux-arm64", "osx-x64", "macos64", "osx-aarch64",
			"macos-arm64", "win-x64", "win64", "win-aarch64", "win-arm64");

	private static final Pattern NAME = Pattern.compile("(.+?)-(\\d+(?:\\.\\d+)+.*)\\.jar");

	/** Debug symbols: not needed to run, and half of a macOS native folder. */
	private static final Pattern DEBUG = Pattern.compile(".*(\\.pdb|\\.dSYM/.*|\\.dSYM/)$");

	private PlatformSplit() {}

	/**
	 * Splits {@code staging/<jarPath>} in place: natives under {@code <nativePrefix><os-arch>/}
	 * ({@link #OS_ARCH}) move to one jar per platform folder; the original is replaced by the jar of
	 * what remains.
	 *
	 * @param jarPath the staged jar, {@code jars/<name>-<version>.jar}
	 * @param nativePrefix the folder holding one subfolder per os-arch, e.g.
	 *          {@code ai/onnxruntime/native/}
	 * @return the written paths relative to {@code staging}, the class jar first
	 * @throws IOException if the jar is missing, its name has no version, it has a native folder of
	 *           an unknown platform or none at all, or writing fails
	 */
	public static List<String> split(final Path staging, final String jarPath, final String nativePrefix) throws IOException {
		final Path jar = staging.resolve(jarPath);
		if (!Files.isRegularFile(jar)) throw new IOException("cannot split " + jar + ": no such file");
		final Matcher m = NAME.matcher(jar.getFileName().toString());
		if (!m.matches() || !jarPath.startsWith("jars/") || jarPath.indexOf('/', 5) >= 0)
			throw new IOException("cannot split " + jarPath + ": expected jars/<name>-<version>.jar");
		final String name = m.group(1), version = m.group(2);
		final Map<String, Map<String, ZipEntry>> perPlatform = new TreeMap<>();
		final Map<String, ZipEntry> rest = new TreeMap<>();
		final Path classes = Files.createTempFile(jar.getParent(), "." + name, ".part");
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			for (final ZipEntry e : (Iterable<ZipEntry>) zip.stream().map(ZipEntry.class::cast)::iterator) {
				if (e.isDirectory() || e.getName().equals("META-INF/MANIFEST.MF")) continue;
				if (!e.getName().startsWith(nativePrefix)) {
					rest.put(e.getName(), e);
					continue;
				}
				final String tail = e.getName().substring(nativePrefix.length());
				final int slash = tail.indexOf('/');
				final String platform = slash < 0 ? null : OS_ARCH.get(tail.substring(0, slash));
				if (platform == null) throw new IOException(jarPath + ": " + e.getName() + " is for no platform the updater knows (" + OS_ARCH.keySet() + ")");
				if (!DEBUG.matcher(e.getName()).matches()) perPlatform.computeIfAbsent(platform, p -> new TreeMap<>()).put(e.getName(), e);
			}
			if (perPlatform.isEmpty()) throw new IOException(jarPath + " has no natives under " + nativePrefix);
			final Manifest original = PlatformJars.manifest(jar);
			final String module = original == null ? null : original.getMainAttributes().getValue(PlatformJars.AUTOMATIC_MODULE_NAME);
			final String base = PlatformJars.moduleName(module != null ? module : PlatformJars.derivedName(jar.getFileName().toString()));
			write(zip, rest, original, classes);
			final List<String> out = new java.util.ArrayList<>();
			out.add(jarPath);
			for (final Map.Entry<String, Map<String, ZipEntry>> p : perPlatform.entrySet()) {
				final String path = "jars/" + p.getKey() + "/" + name + "-natives-" + version + ".jar";
				final Path target = staging.resolve(path);
				Files.createDirectories(target.getParent());
				final Manifest manifest = new Manifest();
				manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
				manifest.getMainAttributes().put(PlatformJars.AUTOMATIC_MODULE_NAME, PlatformJars.moduleName(base + ".natives." + p.getKey()));
				final Path tmp = Files.createTempFile(target.getParent(), "." + name, ".part");
				try {
					write(zip, p.getValue(), manifest, tmp);
					UpdateSiteWriter.readableByAll(tmp);
					Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				}
				finally {
					Files.deleteIfExists(tmp);
				}
				out.add(path);
			}
			UpdateSiteWriter.readableByAll(classes);
			Files.move(classes, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			return out;
		}
		finally {
			Files.deleteIfExists(classes);
		}
	}

	private static void write(final ZipFile zip, final Map<String, ZipEntry> entries, final Manifest manifest, final Path target) throws IOException {
		final long time = 315532800000L; // 1980-01-01, the earliest a zip can say
		try (OutputStream raw = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(raw)) {
			if (manifest != null) {
				final JarEntry me = new JarEntry("META-INF/MANIFEST.MF");
				me.setTime(time);
				out.putNextEntry(me);
				manifest.write(out);
				out.closeEntry();
			}
			final Map<String, Boolean> dirs = new LinkedHashMap<>();
			for (final ZipEntry e : entries.values()) {
				for (int i = e.getName().indexOf('/'); i >= 0; i = e.getName().indexOf('/', i + 1)) {
					final String dir = e.getName().substring(0, i + 1);
					if (dirs.put(dir, true) == null && !dir.equals("META-INF/")) {
						final JarEntry d = new JarEntry(dir);
						d.setTime(time);
						out.putNextEntry(d);
						out.closeEntry();
					}
				}
				final JarEntry je = new JarEntry(e.getName());
				je.setTime(time);
				out.putNextEntry(je);
				try (InputStream in = zip.getInputStream(e)) {
					in.transferTo(out);
				}
				out.closeEntry();
			}
		}
	}
}
