/**
 * PNG slice images: {@link io.github.unet3p.core.volume.png.PngCodec} reads and writes a
 * {@link io.github.unet3p.core.volume.SliceImage} with the JDK's zlib only (no AWT or ImageIO), and
 * {@link io.github.unet3p.core.volume.png.RunLengthDeflate} is the fast deflate encoder for the
 * run-heavy masks and images of a prepared dataset.
 *
 * <p>Depends on: core.util, core.volume.
 */
package io.github.unet3p.core.volume.png;
