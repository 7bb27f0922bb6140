/**
 * Builds the ImageJ update site that installs UNet3+ into Fiji: the files stored as
 * {@code <path>-<timestamp>} and {@code db.xml.gz} listing them with the sizes and checksums the
 * ImageJ updater computes ({@link io.github.unet3p.fiji.updatesite.UpdaterDigest}). Run at build
 * time by the Maven profile {@code update-site}; never used by the plugin at run time. Depends on
 * the JDK (zip, XML, SHA-1) and gson only.
 */
package io.github.unet3p.fiji.updatesite;
