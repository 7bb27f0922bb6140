package io.github.unet3p.fiji.updatesite;

/**
 * One file of an update site as {@code db.xml.gz} lists it.
 *
 * @param path where Fiji installs it, relative to Fiji.app, {@code /}-separated
 *          ({@code jars/linux64/x.jar})
 * @param platform the updater's platform name ({@code linux64}, {@code win64},
 *          {@code macos-arm64}, …), or {@code null} for every platform
 * @param timestamp the version's time, {@code yyyyMMddHHmmss} as a number
 * @param size the file's length in bytes
 * @param checksum the updater's digest ({@link UpdaterDigest})
 * @param description shown by the updater, or {@code null}
 */
public record SiteFile(String path, String platform, long timestamp, long size, String checksum, String description) {

	/** The name under which the file is stored on the site: {@code <path>-<timestamp>}. */
	public String storedName() {
		return path + "-" + timestamp;
	}
}
