package io.github.unet3p.core.volume.nifti;

import io.github.unet3p.core.volume.Volume;

/**
 * A NIfTI-1 file as read: its header and its voxels as a {@link Volume} whose scaling and
 * geometry come from that header.
 *
 * @param header the file's header (keep it to write results in the same space)
 * @param volume the voxels in stored order, native type, with scaling and geometry
 */
public record NiftiImage(NiftiHeader header, Volume volume) {}
