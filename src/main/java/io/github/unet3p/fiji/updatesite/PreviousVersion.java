package io.github.unet3p.fiji.updatesite;

/**
 * An earlier published version of a site file ({@code <previous-version>} in {@code db.xml.gz}).
 *
 * @param path the path it had (a jar's name carries its version, so it may differ from the
 *          current one: {@code jars/unet3p-fiji-0.1.0.jar})
 * @param checksum its updater digest
 * @param timestamp when it was published, {@code yyyyMMddHHmmss}
 * @param obsoleteSince when a newer version or the file's removal superseded it, or 0 if unknown
 */
public record PreviousVersion(String path, String checksum, long timestamp, long obsoleteSince) {}
