/**
 * Volumes and their files: the {@link io.github.unet3p.core.volume.Volume} type every stage works
 * on, NIfTI-1 reading and writing, and the 2-D slice images (PNG, TIFF) of the seed's dataset
 * layout. Depends on ImgLib2, the JDK and {@code core.util}; never on SciJava, ImageJ 1.x or AWT.
 */
package io.github.unet3p.core.volume;
