/**
 * What every volume format shares: the {@link io.github.unet3p.core.volume.Volume} type every
 * stage works on, its {@link io.github.unet3p.core.volume.VolumeGeometry} (spacing and affine),
 * {@link io.github.unet3p.core.volume.Volumes} helpers, and the
 * {@link io.github.unet3p.core.volume.SliceImage} of the reference recipe's 2-D dataset layout.
 * The file formats live in the sub-packages {@code nifti}, {@code tiff} and {@code png}.
 *
 * <p>Depends on: core.util, ImgLib2.
 */
package io.github.unet3p.core.volume;
