/**
 * Fiji-side volume input: DICOM series read through ImageJ 1.x's DICOM decoder
 * ({@link io.github.unet3p.fiji.io.DicomSeriesReader}) and the one entry point that picks a reader
 * from a path ({@link io.github.unet3p.fiji.io.VolumeFiles}). Lives outside {@code core} because it
 * uses ImageJ 1.x ({@code ij}); never on SciJava
 * commands or AWT/Swing UI.
 *
 * <p>Depends on: core.util, core.volume, core.volume.io, core.volume.nifti, core.volume.tiff, ImageJ, ImgLib2.
 */
package io.github.unet3p.fiji.io;
