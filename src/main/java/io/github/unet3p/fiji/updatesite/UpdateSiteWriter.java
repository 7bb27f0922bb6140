package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.unet3p.core.util.AtomicFiles;

/**
 * Turns a staging folder laid out like {@code Fiji.app} ({@code jars/x.jar},
 * {@code jars/linux64/y.jar}, …) into a complete ImageJ update site: every file copied to
 * {@code <path>-<timestamp>}, {@code db.xml.gz} listing them with every version published before
 * ({@link SiteHistory}), then the whole site checked.
 *
 * <p>A file under {@code jars/<platform>/} or {@code lib/<platform>/} is for that platform only
 * (the updater's own rule), e.g. {@code jars/win64/pytorch-native-cpu-2.7.1.jar}. A jar there is
 * also on Fiji's module path, so its declared module name is repaired ({@link PlatformJars}) and the
 * site is refused when a platform folder would not start Java.
 *
 * <p>Run by {@code mvn -Pupdate-site package}: {@code UpdateSiteWriter <staging folder>
 * <site folder> <yyyyMMddHHmmss> [--previous=<db.xml.gz path or URL>] [--allow-snapshot]
 * [--split=jars/<name>-<version>.jar=<native folder prefix>]... [--fiji-pom=<pom-scijava.pom>]
 * [--installed-jars=<Fiji.app/jars>]}; a split ({@link PlatformSplit}) turns a jar with every
 * platform's natives into a class jar and one natives jar per platform; {@code --fiji-pom} refuses
 * a staged jar that Fiji ships ({@link FijiJars}); {@code --installed-jars} checks the platform
 * folders together with an installation's jars ({@link PlatformJars#checkSite(Path, List, Path, Path)}).
 */
public final class UpdateSiteWriter {

	/** Platform folder names the updater knows ({@code Platforms.known()} of imagej-updater 2.x). */
	public static final Set<String> PLATFORMS = Set.of("linux32", "linux64", "linux-arm64", "linuxx", "macos64", "macos-arm64", "macosx", "win32",
			"win64", "win-arm64", "winx");

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

	/** A jar name that carries a version: {@code -<digits>.<digits>} somewhere. */
	private static final Pattern VERSIONED = Pattern.compile(".*-\\d+(\\.\\d+)+.*\\.jar");

	private UpdateSiteWriter() {}

	/** Builds the site; exits non-zero with one message when anything is wrong. */
	public static void main(final String... args) {
		final List<String> positional = new ArrayList<>();
		String previous = null;
		boolean allowSnapshot = false;
		final List<String[]> splits = new ArrayList<>();
		String fijiPom = null, installedJars = null;
		for (final String a : args) {
			// NB: Maven passes an empty argument for an empty property.
			if (a == null || a.isBlank()) continue;
			if (a.startsWith("--previous=")) previous = a.substring("--previous=".length()).trim();
			else if (a.equals("--allow-snapshot")) allowSnapshot = true;
			else if (a.startsWith("--fiji-pom=")) fijiPom = a.substring("--fiji-pom=".length()).trim();
			else if (a.startsWith("--installed-jars=")) installedJars = a.substring("--installed-jars=".length()).trim();
			else if (a.startsWith("--split=") && a.indexOf('=', 8) > 8) splits.add(new String[] { a.substring(8, a.indexOf('=', 8)), a.substring(a.indexOf('=', 8) + 1) });
			else if (a.startsWith("--")) positional.add(null);
			else positional.add(a);
		}
		if (positional.size() < 2 || positional.size() > 3 || positional.contains(null)) {
			System.err.println("usage: UpdateSiteWriter <staging folder> <site folder> [yyyyMMddHHmmss] [--previous=<db.xml.gz path or URL>] [--allow-snapshot]"
					+ " [--split=jars/<name>-<version>.jar=<native folder prefix>]... [--fiji-pom=<pom-scijava.pom>] [--installed-jars=<Fiji.app/jars>]");
			System.exit(2);
		}
		try {
			final Path staging = Path.of(positional.get(0)), site = Path.of(positional.get(1));
			final long timestamp = positional.size() == 3 ? parseTimestamp(positional.get(2)) : now();
			if (!allowSnapshot) checkRelease(staging);
			for (final String[] split : splits)
				System.out.println("  split " + split[0] + ": " + PlatformSplit.split(staging, split[0], split[1]));
			final SiteIndex published = previous == null || previous.isEmpty() ? SiteIndex.of(List.of()) : readPublished(previous);
			if (fijiPom != null && !fijiPom.isEmpty()) checkNothingOfFiji(staging, Path.of(fijiPom));
			final Path installed = installedJars == null || installedJars.isEmpty() ? null : Path.of(installedJars);
			if (installed != null && !Files.isDirectory(installed)) throw new IOException("--installed-jars: " + installed + " is not a folder");
			final SiteIndex index = write(staging, site, timestamp, published, installed);
			report(index, site, System.out);
		}
		catch (final IOException | IllegalArgumentException e) {
			System.err.println("update site: " + e.getMessage());
			System.exit(1);
		}
	}

	/** The current UTC time as an updater timestamp. */
	public static long now() {
		return Long.parseLong(LocalDateTime.now(ZoneOffset.UTC).format(STAMP));
	}

	/** Parses {@code yyyyMMddHHmmss}. */
	public static long parseTimestamp(final String text) {
		try {
			LocalDateTime.parse(text, STAMP);
			return Long.parseLong(text);
		}
		catch (final RuntimeException e) {
			throw new IllegalArgumentException("timestamp '" + text + "' is not yyyyMMddHHmmss");
		}
	}

	/**
	 * Reads the index users have now: a {@code db.xml.gz} file, or its URL ({@code https:},
	 * {@code file:}).
	 *
	 * @throws IOException if it cannot be read or is no valid index
	 */
	public static SiteIndex readPublished(final String pathOrUrl) throws IOException {
		if (pathOrUrl.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !pathOrUrl.matches("[a-zA-Z]:[\\\\/].*")) {
			try (InputStream in = URI.create(pathOrUrl).toURL().openStream()) {
				return UpdateSiteDb.read(in, pathOrUrl);
			}
			catch (final IllegalArgumentException e) {
				throw new IOException("'" + pathOrUrl + "' is not a URL: " + e.getMessage(), e);
			}
		}
		final Path db = Path.of(pathOrUrl);
		if (!Files.isRegularFile(db)) throw new IOException("the published index " + db + " does not exist");
		return UpdateSiteDb.read(db);
	}

	/**
	 * Checks that {@code staging} is a release: no jar named {@code -SNAPSHOT} (a snapshot's name
	 * and content change without its version, so users could not tell what they have).
	 *
	 * @throws IOException naming the first snapshot jar
	 */
	public static void checkRelease(final Path staging) throws IOException {
		try (Stream<Path> walk = Files.walk(staging)) {
			for (final Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator)
				if (f.getFileName().toString().contains("-SNAPSHOT"))
					throw new IOException(staging.relativize(f) + " is a snapshot; build a release with -Drevision=X.Y.Z (or pass --allow-snapshot for a test site)");
		}
	}

	/**
	 * Checks that {@code staging} holds no jar Fiji ships ({@link FijiJars#checkNotShipped}, Fiji's
	 * jars read from {@code pomScijava}).
	 *
	 * @throws IOException naming every such jar
	 */
	public static void checkNothingOfFiji(final Path staging, final Path pomScijava) throws IOException {
		final List<String> paths = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(staging)) {
			walk.filter(Files::isRegularFile).forEach(f -> paths.add(staging.relativize(f).toString().replace('\\', '/')));
		}
		FijiJars.checkNotShipped(paths, FijiJars.managed(pomScijava));
	}

	/** Writes a first release: {@link #write(Path, Path, long, SiteIndex)} with no history. */
	public static List<SiteFile> write(final Path staging, final Path site, final long timestamp) throws IOException {
		return write(staging, site, timestamp, SiteIndex.of(List.of())).files();
	}

	/**
	 * Writes the site for every file under {@code staging} into {@code site} (which must not exist
	 * or be empty), all with version {@code timestamp}, listing the history of {@code published};
	 * checks it ({@link #verify}) and returns its index. Jars in platform folders get a valid module
	 * name. Nothing is left in {@code site} when anything fails.
	 *
	 * @throws IOException if {@code staging} holds no file, a path is not ASCII, a jar's version
	 *           cannot be told by the updater, a platform folder fails as a module path, or
	 *           writing fails
	 */
	public static SiteIndex write(final Path staging, final Path site, final long timestamp, final SiteIndex published) throws IOException {
		return write(staging, site, timestamp, published, null);
	}

	/**
	 * {@link #write(Path, Path, long, SiteIndex)}, with each platform folder checked together with
	 * the jars an installation has there ({@code installedJars}, {@code Fiji.app/jars}; {@code null}
	 * for none): two jars of one module name, the site's or another site's, are refused.
	 */
	public static SiteIndex write(final Path staging, final Path site, final long timestamp, final SiteIndex published, final Path installedJars)
			throws IOException {
		if (!Files.isDirectory(staging)) throw new IOException("staging folder " + staging + " does not exist");
		if (Files.isDirectory(site)) try (Stream<Path> list = Files.list(site)) {
			if (list.findAny().isPresent()) throw new IOException("site folder " + site + " is not empty; remove it first");
		}
		final Map<String, Path> byPath = new TreeMap<>();
		try (Stream<Path> walk = Files.walk(staging)) {
			walk.filter(Files::isRegularFile).forEach(f -> byPath.put(staging.relativize(f).toString().replace('\\', '/'), f));
		}
		if (byPath.isEmpty()) throw new IOException("staging folder " + staging + " holds no file");
		for (final String path : byPath.keySet())
			checkPath(path);
		final Path part = site.resolveSibling(site.getFileName() + ".part");
		deleteTree(part);
		try {
			final List<SiteFile> files = new ArrayList<>();
			for (final Map.Entry<String, Path> e : byPath.entrySet())
				files.add(store(e.getKey(), e.getValue(), part, timestamp));
			final SiteIndex index = SiteHistory.merge(published, files, timestamp);
			UpdateSiteDb.write(part.resolve(UpdateSiteDb.FILE), index);
			readableByAll(part.resolve(UpdateSiteDb.FILE));
			try {
				verify(part, installedJars);
			}
			catch (final IOException e) {
				throw new IOException(e.getMessage().replace(part.toString(), site.toString()), e);
			}
			Files.createDirectories(site);
			try (Stream<Path> top = Files.list(part)) {
				for (final Path p : (Iterable<Path>) top::iterator)
					Files.move(p, site.resolve(p.getFileName()));
			}
			return index;
		}
		finally {
			deleteTree(part);
		}
	}

	/** Rejects a path the updater cannot handle. */
	static void checkPath(final String path) throws IOException {
		if (!path.chars().allMatch(c -> c > 32 && c < 127))
			throw new IOException("'" + path + "' must be printable ASCII without spaces (the updater digests the path as ASCII)");
		final String name = path.substring(path.lastIndexOf('/') + 1);
		if (VERSIONED.matcher(name).matches() && SiteHistory.key(path).equals(path))
			throw new IOException("'" + path + "': the updater finds no version in this name, so the next version would be installed beside it"
					+ " instead of replacing it; name it <artifact>-<version>.jar");
	}

	/** Copies one staged file to its stored name, repairing a platform jar's module name. */
	private static SiteFile store(final String path, final Path source, final Path site, final long timestamp) throws IOException {
		final String platform = platformOf(path);
		final Path stored = site.resolve(path + "-" + timestamp);
		Files.createDirectories(stored.getParent());
		final Path tmp = Files.createTempFile(stored.getParent(), "." + stored.getFileName(), ".part");
		try {
			Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
			if (platform != null && path.startsWith("jars/") && path.endsWith(".jar")) {
				final PlatformJars.Repair repair = PlatformJars.repairModuleName(tmp, path.substring(path.lastIndexOf('/') + 1));
				if (repair != null) System.out.println("  " + path + ": Automatic-Module-Name " + repair.from() + " -> " + repair.to());
			}
			final SiteFile f = new SiteFile(path, platform, timestamp, Files.size(tmp), UpdaterDigest.of(path, tmp), description(path));
			readableByAll(tmp);
			AtomicFiles.move(tmp, stored);
			return f;
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	/**
	 * Checks a built site: the index is valid, every entry's stored file exists with the listed
	 * size and checksum, every jar with a SciJava index gives each of its commands a menu path, and
	 * every platform folder, as Fiji installs it, works as Java's module path.
	 *
	 * @throws IOException naming the first problem
	 */
	public static void verify(final Path site) throws IOException {
		verify(site, null);
	}

	/** {@link #verify(Path)}, with the platform folders checked together with {@code installedJars} ({@code null} for none). */
	public static void verify(final Path site, final Path installedJars) throws IOException {
		final List<SiteFile> files = UpdateSiteDb.read(site.resolve(UpdateSiteDb.FILE)).files();
		if (files.isEmpty()) throw new IOException(site + ": the index lists no file");
		for (final SiteFile f : files) {
			final Path stored = site.resolve(f.storedName());
			if (!Files.isRegularFile(stored)) throw new IOException(site + ": " + f.storedName() + " is listed but missing");
			if (Files.size(stored) != f.size())
				throw new IOException(site + ": " + f.storedName() + " has " + Files.size(stored) + " bytes, the index says " + f.size());
			final String digest = UpdaterDigest.of(f.path(), stored);
			if (!digest.equals(f.checksum())) throw new IOException(site + ": " + f.storedName() + " has checksum " + digest + ", the index says " + f.checksum());
			if (f.path().endsWith(".jar"))
				for (final Map.Entry<String, String> c : PluginIndex.commands(stored).entrySet())
					if (c.getValue() == null || c.getValue().isBlank()) throw new IOException(f.path() + ": command " + c.getKey() + " has no menu path");
		}
		final Path scratch = Files.createTempDirectory("update-site-modules");
		try {
			PlatformJars.checkSite(site, files, scratch, installedJars);
		}
		finally {
			deleteTree(scratch);
		}
	}

	/** The platform a site path is for, or {@code null} for all. */
	static String platformOf(final String path) {
		final String[] parts = path.split("/");
		if (parts.length >= 3 && (parts[0].equals("jars") || parts[0].equals("lib")) && PLATFORMS.contains(parts[1])) return parts[1];
		return null;
	}

	private static String description(final String path) {
		final String name = path.substring(path.lastIndexOf('/') + 1);
		if (name.startsWith("unet3p-fiji")) return "UNet3+ liver CT segmentation (preparation, training, inference, LiTS metrics) for Fiji.";
		if (name.startsWith("pytorch-native-cpu")) return "PyTorch CPU native libraries for DJL (used by UNet3+).";
		if (name.startsWith("onnxruntime-natives")) return "ONNX Runtime CPU native libraries (used by UNet3+).";
		return null;
	}

	/**
	 * Makes {@code file} readable by everyone where the file system has POSIX permissions: a web
	 * server serves the site as some other user (a temporary file starts private).
	 */
	static void readableByAll(final Path file) throws IOException {
		if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class))
			Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
	}

	static void deleteTree(final Path folder) throws IOException {
		if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
		try (Stream<Path> walk = Files.walk(folder)) {
			for (final Path p : (Iterable<Path>) walk.sorted((a, b) -> b.compareTo(a))::iterator)
				Files.delete(p);
		}
	}

	private static void report(final SiteIndex index, final Path site, final PrintStream out) {
		final Map<String, Long> perPlatform = new TreeMap<>();
		long common = 0, total = 0;
		for (final SiteFile f : index.files()) {
			if (f.platform() == null) common += f.size();
			else perPlatform.merge(f.platform(), f.size(), Long::sum);
			total += f.size();
			out.printf(Locale.ROOT, "  %-60s %12d  %s%s%n", f.storedName(), f.size(), f.platform() == null ? "" : f.platform(),
					f.previous().isEmpty() ? "" : "  (" + f.previous().size() + " earlier versions)");
		}
		for (final ObsoleteFile f : index.obsolete())
			out.printf(Locale.ROOT, "  %-60s %12s  obsolete (removed from installations by the next update)%n", f.path(), "");
		out.printf(Locale.ROOT, "  every platform: %.1f MB%n", common / 1e6);
		for (final Map.Entry<String, Long> e : perPlatform.entrySet())
			out.printf(Locale.ROOT, "  a %s user downloads %.1f MB%n", e.getKey(), (common + e.getValue()) / 1e6);
		out.printf(Locale.ROOT, "Update site %s: %d files, %.1f MB, %d obsolete, verified.%n", site, index.files().size(), total / 1e6, index.obsolete().size());
	}
}
