package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The ImageJ updater's rules for one update site and one platform, as imagej-updater 2.x
 * implements them (read from its sources; the updater is not on Maven Central):
 * <ul>
 * <li>files are known by their path without version ({@code FilesCollection.get} →
 * {@code FileUtils.stripFilenameVersion}, here {@link SiteHistory#key});</li>
 * <li>an installed file's checksum is {@code UpdaterUtil.getDigest(localPath, file)}
 * ({@link UpdaterDigest}), and {@code FileObject.setLocalVersion} classifies it: the current
 * checksum is INSTALLED, a listed earlier one UPDATEABLE (OBSOLETE when the site has no current
 * version), any other MODIFIED (OBSOLETE_MODIFIED);</li>
 * <li>an update ({@code FilesCollection.markForUpdate} + {@code Installer}) replaces UPDATEABLE
 * files, installs the site's files not installed yet, and uninstalls OBSOLETE ones; a replaced
 * file whose local name differs from the site's is removed ({@code Installer} stages an empty
 * {@code update/<local name>}); MODIFIED files are left alone.</li>
 * </ul>
 */
final class UpdaterRules {

	/** The subset of {@code FileObject.Status} a single site produces. */
	enum Status {
		NOT_INSTALLED, INSTALLED, UPDATEABLE, MODIFIED, OBSOLETE, OBSOLETE_MODIFIED, OBSOLETE_UNINSTALLED, LOCAL_ONLY
	}

	/** A file as the updater sees it: its key, the site's path, the installed path (or null), its status. */
	record Seen(String key, String sitePath, String localPath, Status status) {}

	private UpdaterRules() {}

	/** Classifies every file of {@code index} for {@code platform} and every local jar of {@code app}, by key. */
	static Map<String, Seen> classify(final SiteIndex index, final Path app, final String platform) throws IOException {
		final Map<String, String> local = localFiles(app);
		final Map<String, Seen> out = new TreeMap<>();
		for (final SiteFile f : index.files()) {
			if (!forPlatform(f.platform(), platform)) continue;
			final String key = SiteHistory.key(f.path());
			final String localPath = local.remove(key);
			if (localPath == null) {
				out.put(key, new Seen(key, f.path(), null, Status.NOT_INSTALLED));
				continue;
			}
			final String checksum = UpdaterDigest.of(localPath, app.resolve(localPath));
			final boolean known = checksum.equals(f.checksum()) || f.previous().stream().anyMatch(v -> v.checksum().equals(checksum));
			final Status s = checksum.equals(f.checksum()) ? Status.INSTALLED : known ? Status.UPDATEABLE : Status.MODIFIED;
			out.put(key, new Seen(key, f.path(), localPath, s));
		}
		for (final ObsoleteFile f : index.obsolete()) {
			if (!forPlatform(f.platform(), platform)) continue;
			final String key = SiteHistory.key(f.path());
			final String localPath = local.remove(key);
			if (localPath == null) {
				out.put(key, new Seen(key, f.path(), null, Status.OBSOLETE_UNINSTALLED));
				continue;
			}
			final String checksum = UpdaterDigest.of(localPath, app.resolve(localPath));
			final boolean known = f.previous().stream().anyMatch(v -> v.checksum().equals(checksum));
			out.put(key, new Seen(key, f.path(), localPath, known ? Status.OBSOLETE : Status.OBSOLETE_MODIFIED));
		}
		for (final Map.Entry<String, String> e : local.entrySet())
			out.put(e.getKey(), new Seen(e.getKey(), null, e.getValue(), Status.LOCAL_ONLY));
		return out;
	}

	/**
	 * Applies an update from {@code site} to {@code app}: what "Apply changes" does after
	 * {@code markForUpdate}.
	 *
	 * @return the paths removed from {@code app}
	 */
	static List<String> update(final SiteIndex index, final Path site, final Path app, final String platform) throws IOException {
		final Map<String, SiteFile> byKey = new TreeMap<>();
		for (final SiteFile f : index.files())
			byKey.put(SiteHistory.key(f.path()), f);
		final List<String> removed = new ArrayList<>();
		for (final Seen s : classify(index, app, platform).values()) {
			switch (s.status()) {
				case NOT_INSTALLED, UPDATEABLE -> {
					final SiteFile f = byKey.get(s.key());
					final Path target = app.resolve(f.path());
					Files.createDirectories(target.getParent());
					Files.copy(site.resolve(f.storedName()), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					if (s.localPath() != null && !s.localPath().equals(f.path())) {
						Files.delete(app.resolve(s.localPath()));
						removed.add(s.localPath());
					}
				}
				case OBSOLETE -> {
					Files.delete(app.resolve(s.localPath()));
					removed.add(s.localPath());
				}
				default -> {}
			}
		}
		return removed;
	}

	/** The updater's platform match: a file for all platforms, or for this one. */
	private static boolean forPlatform(final String filePlatform, final String platform) {
		return filePlatform == null || List.of(filePlatform.split(",")).contains(platform);
	}

	/** Installed files under {@code jars/} and {@code macros/}, by key; two with one key fail (the updater calls that a conflict). */
	private static Map<String, String> localFiles(final Path app) throws IOException {
		final Map<String, String> out = new TreeMap<>();
		for (final String dir : List.of("jars", "macros")) {
			if (!Files.isDirectory(app.resolve(dir))) continue;
			try (Stream<Path> walk = Files.walk(app.resolve(dir))) {
				for (final Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
					final String rel = app.relativize(p).toString().replace('\\', '/');
					final String before = out.put(SiteHistory.key(rel), rel);
					if (before != null) throw new IllegalStateException("two versions of one file are installed: " + before + " and " + rel);
				}
			}
		}
		return out;
	}
}
