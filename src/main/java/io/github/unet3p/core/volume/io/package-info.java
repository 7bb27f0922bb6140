/**
 * Opening a volume file of any format the core reads, by its name: NIfTI-1 ({@code .nii},
 * {@code .nii.gz}) and TIFF stacks; other readers (DICOM, in {@code fiji.io}) plug in through
 * {@link io.github.unet3p.core.volume.io.VolumeReader}.
 *
 * <p>Depends on: core.util, core.volume, core.volume.nifti, core.volume.tiff.
 */
package io.github.unet3p.core.volume.io;
