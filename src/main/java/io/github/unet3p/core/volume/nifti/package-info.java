/**
 * NIfTI-1 files ({@code .nii}, {@code .nii.gz}): the 348-byte
 * {@link io.github.unet3p.core.volume.nifti.NiftiHeader}, its datatypes, reading into and writing
 * from a {@link io.github.unet3p.core.volume.Volume}, and the quaternion ↔ rotation conversions of
 * the header's qform.
 *
 * <p>Depends on: core.util, core.volume, ImgLib2.
 */
package io.github.unet3p.core.volume.nifti;
