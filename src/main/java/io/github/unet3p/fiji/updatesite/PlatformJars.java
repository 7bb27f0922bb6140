package io.github.unet3p.fiji.updatesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import javax.lang.model.SourceVersion;

/**
 * Jars in a platform folder ({@code jars/<platform>/}) as Fiji's launcher sees them: since Fiji
 * 2.17 (the Jaunch launcher, {@code config/fiji.toml} of fiji/fiji) Java 9+ starts with
 * {@code --module-path=<Fiji.app>/jars/<platform>}, so every jar there must be a valid automatic
 * module, or the JVM exits before Fiji starts ({@code FindException: Invalid module name}).
 *
 * <p>NB: the module name a jar declares in its manifest ({@code Automatic-Module-Name}) is
 * repaired in place; every other entry keeps its bytes. The updater's checksum of a jar does not
 * read the manifest ({@link UpdaterDigest}), so a repaired jar has the checksum of the original.
 */
public final class PlatformJars {

	/** The manifest attribute that names an automatic module. */
	public static final Attributes.Name AUTOMATIC_MODULE_NAME = new Attributes.Name("Automatic-Module-Name");

	private static final String MANIFEST = "META-INF/MANIFEST.MF";

	private PlatformJars() {}

	/**
	 * A repaired manifest entry.
	 *
	 * @param jar the jar
	 * @param from the declared name
	 * @param to the name written instead
	 */
	public record Repair(Path jar, String from, String to) {}

	/**
	 * Whether {@code name} is a legal module name: dot-separated Java identifiers, none a keyword
	 * (what {@link ModuleDescriptor#newAutomaticModule} accepts).
	 */
	public static boolean isModuleName(final String name) {
		return SourceVersion.isName(name, SourceVersion.RELEASE_17) && !name.startsWith(".") && !name.endsWith(".");
	}

	/**
	 * The nearest legal module name: in each dot-separated part, a character that may not stand in a
	 * Java identifier becomes {@code _}, a part that starts with a digit or is a keyword gets a
	 * leading {@code _}; empty parts are dropped. {@code ai.djl.pytorch_native_cpu_linux-x86_64}
	 * becomes {@code ai.djl.pytorch_native_cpu_linux_x86_64}.
	 *
	 * @throws IllegalArgumentException if nothing of {@code name} remains
	 */
	public static String moduleName(final String name) {
		final List<String> parts = new ArrayList<>();
		for (final String part : name.trim().split("\\.")) {
			if (part.isEmpty()) continue;
			final StringBuilder b = new StringBuilder(part.length() + 1);
			part.codePoints().forEach(c -> b.appendCodePoint(Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c) ? c : '_'));
			if (!Character.isJavaIdentifierStart(b.codePointAt(0)) || SourceVersion.isKeyword(b, SourceVersion.RELEASE_17)) b.insert(0, '_');
			parts.add(b.toString());
		}
		if (parts.isEmpty()) throw new IllegalArgumentException("'" + name + "' holds nothing to make a module name of");
		return String.join(".", parts);
	}

	/**
	 * Makes {@code jar}, installed as {@code installedName}, a valid automatic module by rewriting
	 * its manifest in place: a declared {@code Automatic-Module-Name} that is no legal module name
	 * is repaired ({@link #moduleName}); a jar that declares none and whose file name gives no legal
	 * name ({@link #derivedName}) gets one. A jar that is valid already, or an explicit module
	 * ({@code module-info.class}), is left untouched.
	 *
	 * @return the repair made, or {@code null} when none was needed
	 * @throws IOException if the jar cannot be read or rewritten
	 */
	public static Repair repairModuleName(final Path jar, final String installedName) throws IOException {
		Manifest manifest = manifest(jar);
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
			if (zip.getEntry("module-info.class") != null) return null;
		}
		final String declared = manifest == null ? null : manifest.getMainAttributes().getValue(AUTOMATIC_MODULE_NAME);
		final String current = declared != null ? declared : derivedName(installedName);
		if (isModuleName(current)) return null;
		final String repaired;
		try {
			repaired = moduleName(current);
		}
		catch (final IllegalArgumentException e) {
			throw new IOException(jar + ": module name " + e.getMessage());
		}
		if (manifest == null) {
			manifest = new Manifest();
			manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		}
		manifest.getMainAttributes().put(AUTOMATIC_MODULE_NAME, repaired);
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		manifest.write(bytes);
		// NB: the zip file system copies every entry it was not asked to change as it stands
		// (header and compressed data), so only the manifest's bytes change. It writes the
		// manifest first, where JarInputStream looks for it.
		try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
			Files.createDirectories(zip.getPath("META-INF"));
			Files.write(zip.getPath(MANIFEST), bytes.toByteArray());
		}
		return new Repair(jar, current, repaired);
	}

	/**
	 * The module name Java derives from a jar's file name when its manifest names none (the rule
	 * of {@link ModuleFinder#of}): the name without {@code .jar}, cut before the first
	 * {@code -<digit>} that starts a version, every run of characters other than letters and digits
	 * made one dot, leading and trailing dots dropped. The result need not be legal
	 * ({@code fake-native-1.0.jar} gives {@code fake.native}, and {@code native} is a keyword).
	 */
	public static String derivedName(final String fileName) {
		String name = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
		final java.util.regex.Matcher version = java.util.regex.Pattern.compile("-(\\d+(\\.|$))").matcher(name);
		if (version.find()) name = name.substring(0, version.start());
		name = name.replaceAll("[^A-Za-z0-9]", ".").replaceAll("(\\.)(\\1)+", ".");
		if (name.startsWith(".")) name = name.substring(1);
		if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
		return name;
	}

	/** The jar's manifest, or {@code null} when it has none. */
	static Manifest manifest(final Path jar) throws IOException {
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
			final java.util.zip.ZipEntry entry = zip.getEntry(MANIFEST);
			if (entry == null) return null;
			try (InputStream in = zip.getInputStream(entry)) {
				return new Manifest(in);
			}
		}
		catch (final IOException e) {
			throw new IOException(jar + " cannot be read as a jar: " + e.getMessage(), e);
		}
	}

	/**
	 * Checks that {@code folder} works as Java's module path: every jar in it is a valid module
	 * ({@code ModuleFinder.of(folder).findAll()}), and all of them resolve together over the JDK's
	 * modules (no two hold one package).
	 *
	 * @return the module names found, sorted
	 * @throws IOException naming the folder and what Java would say at startup
	 */
	public static Set<String> checkModulePath(final Path folder) throws IOException {
		final Set<ModuleReference> found;
		try {
			found = ModuleFinder.of(folder).findAll();
		}
		catch (final FindException e) {
			throw new IOException(folder + " does not work as Java's module path (Fiji's --module-path for this platform): " + causes(e));
		}
		final Set<String> names = found.stream().map(r -> r.descriptor().name()).collect(Collectors.toCollection(TreeSet::new));
		try {
			Configuration.resolve(ModuleFinder.of(folder), List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(), names);
		}
		catch (final FindException | ResolutionException e) {
			throw new IOException(folder + ": its modules do not resolve together: " + causes(e));
		}
		return names;
	}

	/**
	 * Checks a site's platform folders as Fiji installs them: for each {@code jars/<platform>/},
	 * the stored files under their installed names (without the {@code -<timestamp>} suffix),
	 * linked into a scratch folder, then {@link #checkModulePath}. The same as
	 * {@link #checkSite(Path, List, Path, Path)} without an installation.
	 *
	 * @return the modules of each platform folder checked
	 * @throws IOException naming the platform folder and the problem
	 */
	public static Map<String, Set<String>> checkSite(final Path site, final List<SiteFile> files, final Path scratch) throws IOException {
		return checkSite(site, files, scratch, null);
	}

	/**
	 * Checks each platform folder {@code jars/<platform>/} that installing the site into a Fiji
	 * would leave: the jars already in {@code installedJars/<platform>/} (another site's, Fiji's
	 * JavaFX) that the site does not replace (another updater key), plus the site's own, under their
	 * installed names. No two of them may be one module ({@link #checkDistinctModules}), and together
	 * they must work as Java's module path ({@link #checkModulePath}).
	 *
	 * @param installedJars an installation's {@code jars} folder ({@code Fiji.app/jars}), or
	 *          {@code null} to check the site's own files only
	 * @return the modules of each platform folder checked
	 * @throws IOException naming the platform folder and the problem
	 */
	public static Map<String, Set<String>> checkSite(final Path site, final List<SiteFile> files, final Path scratch, final Path installedJars)
			throws IOException {
		final Map<String, Set<String>> out = new java.util.TreeMap<>();
		final Map<String, List<SiteFile>> byFolder = files.stream().filter(f -> f.platform() != null && f.path().startsWith("jars/"))
				.collect(Collectors.groupingBy(f -> f.path().substring(0, f.path().lastIndexOf('/')), java.util.TreeMap::new, Collectors.toList()));
		for (final Map.Entry<String, List<SiteFile>> e : byFolder.entrySet()) {
			final Path folder = scratch.resolve(e.getKey());
			Files.createDirectories(folder);
			try {
				final Map<String, String> origin = new java.util.TreeMap<>();
				final Set<String> keys = new java.util.HashSet<>();
				for (final SiteFile f : e.getValue()) {
					final String name = f.path().substring(f.path().lastIndexOf('/') + 1);
					link(site.resolve(f.storedName()).toAbsolutePath(), folder.resolve(name));
					origin.put(name, "this site");
					keys.add(SiteHistory.key(f.path()));
				}
				final Path installed = installedJars == null ? null : installedJars.resolve(e.getKey().substring("jars/".length()));
				if (installed != null && Files.isDirectory(installed)) try (var jars = Files.newDirectoryStream(installed, "*.jar")) {
					for (final Path jar : jars) {
						final String name = jar.getFileName().toString();
						// NB: a jar the site replaces (its own older version) is not left beside the new one.
						if (keys.contains(SiteHistory.key(e.getKey() + "/" + name)) || origin.containsKey(name)) continue;
						link(jar.toAbsolutePath(), folder.resolve(name));
						origin.put(name, "installed in " + installed);
					}
				}
				checkDistinctModules(folder, origin);
				out.put(e.getKey(), checkModulePath(folder));
			}
			catch (final IOException x) {
				throw new IOException(site + ": " + x.getMessage().replace(folder.toString(), e.getKey()), x);
			}
			finally {
				UpdateSiteWriter.deleteTree(folder);
			}
		}
		return out;
	}

	/**
	 * Checks that no two jars in {@code folder} are one module: Java refuses to start when two jars
	 * on {@code --module-path} share a module name ({@code FindException: Two versions of module}),
	 * and Fiji's launcher puts {@code jars/<platform>} there.
	 *
	 * @param origin where each jar (by file name) comes from, for the message
	 * @throws IOException naming the module and both jars with their origins
	 */
	static void checkDistinctModules(final Path folder, final Map<String, String> origin) throws IOException {
		final Map<String, String> byModule = new java.util.TreeMap<>();
		try (var jars = Files.newDirectoryStream(folder, "*.jar")) {
			final List<Path> sorted = new ArrayList<>();
			jars.forEach(sorted::add);
			sorted.sort(null);
			for (final Path jar : sorted) {
				final String name = jar.getFileName().toString();
				final String module;
				try {
					module = ModuleFinder.of(jar).findAll().stream().map(r -> r.descriptor().name()).findFirst().orElse(null);
				}
				catch (final FindException x) {
					continue; // NB: checkModulePath names the invalid jar.
				}
				if (module == null) continue;
				final String other = byModule.putIfAbsent(module, name);
				if (other != null)
					throw new IOException(folder + " would hold two jars of module " + module + ": " + other + " (" + origin.getOrDefault(other, "?") + ") and "
							+ name + " (" + origin.getOrDefault(name, "?") + "); Java refuses to start with both on Fiji's --module-path. Remove one.");
			}
		}
	}

	private static void link(final Path target, final Path link) throws IOException {
		try {
			Files.createSymbolicLink(link, target);
		}
		catch (final UnsupportedOperationException | IOException e) {
			Files.copy(target, link);
		}
	}

	private static String causes(final Throwable e) {
		final StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
		for (Throwable c = e.getCause(); c != null; c = c.getCause())
			b.append(": ").append(c.getMessage());
		return b.toString();
	}
}
