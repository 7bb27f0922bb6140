package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
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
import java.util.stream.Stream;

import io.github.unet3p.core.util.AtomicFiles;

/**
 * Turns a staging folder laid out like {@code Fiji.app} ({@code jars/x.jar},
 * {@code jars/linux64/y.jar}, …) into a complete ImageJ update site: every file copied to
 * {@code <path>-<timestamp>}, {@code db.xml.gz} listing them, then the whole site checked.
 *
 * <p>A file under {@code jars/<platform>/} or {@code lib/<platform>/} is for that platform only
 * (the updater's own rule), e.g. {@code jars/win64/pytorch-native-cpu-2.7.1-win-x86_64.jar}.
 *
 * <p>Run by {@code mvn -Pupdate-site package}:
 * {@code UpdateSiteWriter <staging folder> <site folder> [yyyyMMddHHmmss]}.
 */
public final class UpdateSiteWriter {

	/** Platform folder names the updater knows ({@code Platforms.known()} of imagej-updater 2.x). */
	public static final Set<String> PLATFORMS = Set.of("linux32", "linux64", "linux-arm64", "linuxx", "macos64", "macos-arm64", "macosx", "win32",
			"win64", "win-arm64", "winx");

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

	private UpdateSiteWriter() {}

	/** Builds the site; exits non-zero with one message when anything is wrong. */
	public static void main(final String... args) {
		if (args.length < 2 || args.length > 3) {
			System.err.println("usage: UpdateSiteWriter <staging folder> <site folder> [yyyyMMddHHmmss]");
			System.exit(2);
		}
		try {
			final long timestamp = args.length == 3 ? parseTimestamp(args[2]) : now();
			final List<SiteFile> files = write(Path.of(args[0]), Path.of(args[1]), timestamp);
			verify(Path.of(args[1]));
			report(files, System.out);
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
	 * Writes the site for every file under {@code staging} into {@code site}, all with version
	 * {@code timestamp}, and returns the index entries.
	 *
	 * @throws IOException if {@code staging} holds no file, a path is not ASCII, or writing fails
	 */
	public static List<SiteFile> write(final Path staging, final Path site, final long timestamp) throws IOException {
		if (!Files.isDirectory(staging)) throw new IOException("staging folder " + staging + " does not exist");
		final Map<String, Path> byPath = new TreeMap<>();
		try (Stream<Path> walk = Files.walk(staging)) {
			walk.filter(Files::isRegularFile).forEach(f -> byPath.put(staging.relativize(f).toString().replace('\\', '/'), f));
		}
		if (byPath.isEmpty()) throw new IOException("staging folder " + staging + " holds no file");
		final List<SiteFile> files = new ArrayList<>();
		for (final Map.Entry<String, Path> e : byPath.entrySet()) {
			final String path = e.getKey();
			if (!path.chars().allMatch(c -> c > 32 && c < 127))
				throw new IOException("'" + path + "' must be printable ASCII without spaces (the updater digests the path as ASCII)");
			final SiteFile f = new SiteFile(path, platformOf(path), timestamp, Files.size(e.getValue()), UpdaterDigest.of(path, e.getValue()),
					description(path));
			final Path stored = site.resolve(f.storedName());
			Files.createDirectories(stored.getParent());
			final Path tmp = Files.createTempFile(stored.getParent(), "." + stored.getFileName(), ".part");
			try {
				Files.copy(e.getValue(), tmp, StandardCopyOption.REPLACE_EXISTING);
				AtomicFiles.move(tmp, stored);
			}
			finally {
				Files.deleteIfExists(tmp);
			}
			files.add(f);
		}
		UpdateSiteDb.write(site.resolve(UpdateSiteDb.FILE), files);
		return files;
	}

	/**
	 * Checks a built site: the index is valid, every entry's stored file exists with the listed
	 * size and checksum, and every jar with a SciJava index gives each of its commands a menu path.
	 *
	 * @throws IOException naming the first problem
	 */
	public static void verify(final Path site) throws IOException {
		final List<SiteFile> files = UpdateSiteDb.read(site.resolve(UpdateSiteDb.FILE));
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
		return null;
	}

	private static void report(final List<SiteFile> files, final PrintStream out) {
		final Map<String, Long> perPlatform = new TreeMap<>();
		long total = 0;
		for (final SiteFile f : files) {
			perPlatform.merge(f.platform() == null ? "all platforms" : f.platform(), f.size(), Long::sum);
			total += f.size();
			out.printf(Locale.ROOT, "  %-60s %12d  %s%n", f.storedName(), f.size(), f.platform() == null ? "" : f.platform());
		}
		for (final Map.Entry<String, Long> e : perPlatform.entrySet())
			out.printf(Locale.ROOT, "  %s: %.1f MB%n", e.getKey(), e.getValue() / 1e6);
		out.printf(Locale.ROOT, "Update site: %d files, %.1f MB, verified.%n", files.size(), total / 1e6);
	}
}
