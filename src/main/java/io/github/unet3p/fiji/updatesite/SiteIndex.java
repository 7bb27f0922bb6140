package io.github.unet3p.fiji.updatesite;

import java.util.List;

/**
 * What {@code db.xml.gz} says: the files the site has now and the ones it dropped.
 *
 * @param files current files, with their earlier versions
 * @param obsolete files published once and gone now
 */
public record SiteIndex(List<SiteFile> files, List<ObsoleteFile> obsolete) {

	/** Copies both lists. */
	public SiteIndex {
		files = List.copyOf(files);
		obsolete = List.copyOf(obsolete);
	}

	/** An index of {@code files} alone. */
	public static SiteIndex of(final List<SiteFile> files) {
		return new SiteIndex(files, List.of());
	}
}
