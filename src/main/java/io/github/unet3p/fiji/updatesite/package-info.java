/**
 * Builds the ImageJ update site that installs UNet3+ into Fiji: the files stored as
 * {@code <path>-<timestamp>} and {@code db.xml.gz} listing them, with the sizes and checksums the
 * ImageJ updater computes ({@link io.github.unet3p.fiji.updatesite.UpdaterDigest}) and every
 * version published before ({@link io.github.unet3p.fiji.updatesite.SiteHistory}); the jars of
 * platform folders made valid modules for Fiji's module path
 * ({@link io.github.unet3p.fiji.updatesite.PlatformJars},
 * {@link io.github.unet3p.fiji.updatesite.PlatformSplit}). Run at build time by Maven (the
 * {@code update-site} profile, and before the integration tests); never used by the plugin at run
 * time. It uses the JDK's zip, XML, SHA-1 and module finder, and scijava-common's
 * {@code FileUtils.stripFilenameVersion} (the updater's own rule for a file's identity).
 *
 * <p>Depends on: core.util, Gson, SciJava.
 */
package io.github.unet3p.fiji.updatesite;
