/**
 * TIFF stacks as volumes: {@link io.github.unet3p.core.volume.tiff.TiffCodec} reads and writes a
 * {@link io.github.unet3p.core.volume.Volume} as a multi-page baseline TIFF that ImageJ opens as a
 * calibrated stack, with {@link io.github.unet3p.core.volume.tiff.TiffReader} and
 * {@link io.github.unet3p.core.volume.tiff.TiffWriter} doing the bytes and
 * {@link io.github.unet3p.core.volume.tiff.TiffCompression} the strip and tile codecs.
 *
 * <p>Depends on: core.util, core.volume, ImgLib2.
 */
package io.github.unet3p.core.volume.tiff;
