package io.github.unet3p.fiji.updatesite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.util.FileUtils;

/**
 * Carries a site's published history into a new release, by the updater's own rules (imagej-updater
 * {@code FilesCollection}, {@code Checksummer}, {@code FileObject}):
 * <ul>
 * <li>the updater knows a file by its path without version ({@link #key}, scijava-common's
 * {@code FileUtils.stripFilenameVersion}: {@code jars/unet3p-fiji-0.1.0.jar} and
 * {@code jars/unet3p-fiji-0.2.0.jar} are one file);</li>
 * <li>an installed file whose checksum is the current version's is up to date, one whose checksum
 * is a previous version's is "updateable" (replaced, the old name removed), any other checksum is
 * "locally modified" and never replaced: so every version ever published must stay listed;</li>
 * <li>a file with previous versions and no current version is "obsolete": an installed copy is
 * removed by the next update.</li>
 * </ul>
 */
public final class SiteHistory {

	private SiteHistory() {}

	/** The updater's identity of a site path: the path with the version stripped from its name. */
	public static String key(final String path) {
		return FileUtils.stripFilenameVersion(path);
	}

	/**
	 * The index of a new release: each file of {@code release} keeps every version {@code published}
	 * listed for its key as a previous version (the current one superseded at {@code timestamp}),
	 * and each file of {@code published} whose key the release lacks becomes obsolete.
	 *
	 * @param published the index users have now (empty for a first release)
	 * @param release the files of the new release, without history
	 * @param timestamp the new release's time
	 */
	public static SiteIndex merge(final SiteIndex published, final List<SiteFile> release, final long timestamp) {
		final Map<String, Map<String, PreviousVersion>> history = new LinkedHashMap<>();
		final Map<String, String[]> pathAndPlatform = new LinkedHashMap<>();
		for (final SiteFile f : published.files()) {
			final Map<String, PreviousVersion> h = history.computeIfAbsent(key(f.path()), k -> new LinkedHashMap<>());
			for (final PreviousVersion v : f.previous())
				add(h, v);
			add(h, f.asPrevious(timestamp));
			pathAndPlatform.putIfAbsent(key(f.path()), new String[] { f.path(), f.platform() });
		}
		for (final ObsoleteFile f : published.obsolete()) {
			final Map<String, PreviousVersion> h = history.computeIfAbsent(key(f.path()), k -> new LinkedHashMap<>());
			for (final PreviousVersion v : f.previous())
				add(h, v);
			pathAndPlatform.putIfAbsent(key(f.path()), new String[] { f.path(), f.platform() });
		}
		final List<SiteFile> files = new ArrayList<>();
		for (final SiteFile f : release) {
			final Map<String, PreviousVersion> h = history.remove(key(f.path()));
			files.add(new SiteFile(f.path(), f.platform(), f.timestamp(), f.size(), f.checksum(), f.description(), h == null ? List.of() : sorted(h)));
		}
		final List<ObsoleteFile> obsolete = new ArrayList<>();
		for (final Map.Entry<String, Map<String, PreviousVersion>> e : history.entrySet()) {
			final String[] pp = pathAndPlatform.get(e.getKey());
			obsolete.add(new ObsoleteFile(pp[0], pp[1], sorted(e.getValue())));
		}
		return new SiteIndex(files, obsolete);
	}

	/** Adds {@code v} unless a version with its checksum and timestamp is listed already. */
	private static void add(final Map<String, PreviousVersion> versions, final PreviousVersion v) {
		versions.putIfAbsent(v.checksum() + "@" + v.timestamp(), v);
	}

	private static List<PreviousVersion> sorted(final Map<String, PreviousVersion> versions) {
		final List<PreviousVersion> out = new ArrayList<>(versions.values());
		out.sort((a, b) -> a.timestamp() != b.timestamp() ? Long.compare(a.timestamp(), b.timestamp()) : a.checksum().compareTo(b.checksum()));
		return out;
	}
}
