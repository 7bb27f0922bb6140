package io.github.unet3p.fiji.updatesite;

import java.util.List;

/**
 * One file of an update site as {@code db.xml.gz} lists it: its current version and the versions
 * published before it.
 *
 * @param path where Fiji installs it, relative to Fiji.app, {@code /}-separated
 *          ({@code jars/linux64/x.jar})
 * @param platform the updater's platform name ({@code linux64}, {@code win64},
 *          {@code macos-arm64}, …), or {@code null} for every platform
 * @param timestamp the version's time, {@code yyyyMMddHHmmss} as a number
 * @param size the file's length in bytes
 * @param checksum the updater's digest ({@link UpdaterDigest})
 * @param description shown by the updater, or {@code null}
 * @param previous earlier published versions, oldest first: an installed file with one of their
 *          checksums is an older version the updater replaces, not a local modification
 */
public record SiteFile(String path, String platform, long timestamp, long size, String checksum, String description, List<PreviousVersion> previous) {

	/** Copies {@code previous}. */
	public SiteFile {
		previous = List.copyOf(previous);
	}

	/** A file with no earlier version. */
	public SiteFile(final String path, final String platform, final long timestamp, final long size, final String checksum, final String description) {
		this(path, platform, timestamp, size, checksum, description, List.of());
	}

	/** The name under which the file is stored on the site: {@code <path>-<timestamp>}. */
	public String storedName() {
		return path + "-" + timestamp;
	}

	/** This version as an earlier one, superseded at {@code obsoleteSince}. */
	public PreviousVersion asPrevious(final long obsoleteSince) {
		return new PreviousVersion(path, checksum, timestamp, obsoleteSince);
	}
}
