/**
 * Fiji-side volume input: DICOM series read through ImageJ 1.x's DICOM decoder
 * ({@link io.github.unet3p.fiji.io.DicomSeriesReader}) and the one entry point that picks a reader
 * from a path ({@link io.github.unet3p.fiji.io.VolumeFiles}). Lives outside {@code core} because it
 * uses ImageJ 1.x ({@code ij}); may depend on {@code core.volume}, {@code core.util}, ImgLib2 and
 * {@code ij}, never on SciJava commands or AWT/Swing UI.
 */
package io.github.unet3p.fiji.io;
