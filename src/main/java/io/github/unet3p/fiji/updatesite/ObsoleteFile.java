package io.github.unet3p.fiji.updatesite;

import java.util.List;

/**
 * A file the site published once and no longer has (renamed or dropped): {@code db.xml.gz} lists
 * it without a current version, so the updater marks an installed copy "obsolete" and removes it
 * with the next update, instead of leaving it beside its successor.
 *
 * @param path where Fiji installed it
 * @param platform its platform, or {@code null} for every platform
 * @param previous its published versions, oldest first (at least one)
 */
public record ObsoleteFile(String path, String platform, List<PreviousVersion> previous) {

	/** Copies {@code previous} and checks it is not empty. */
	public ObsoleteFile {
		previous = List.copyOf(previous);
		if (previous.isEmpty()) throw new IllegalArgumentException(path + ": an obsolete file needs the versions it had");
	}
}
