/**
 * Volumes and their files: the {@link io.github.unet3p.core.volume.Volume} type every stage works
 * on, NIfTI-1 reading and writing, and the 2-D slice images (PNG, TIFF) of the seed's dataset
 * layout. 
 *
 * <p>Depends on: core.util, ImgLib2.
 */
package io.github.unet3p.core.volume;
