package io.github.unet3p.core.synth;

import io.github.unet3p.core.volume.Volume;

/**
 * One synthetic CT case: the CT as int16 HU values and its labels as uint8 (0 background,
 * 1 liver, 2 tumour), both over the same voxel grid and geometry, stored in LiTS orientation.
 *
 * @param ct the CT, {@code ShortType} voxels, dimensions I × J × K
 * @param labels the labels, {@code UnsignedByteType} voxels, same dimensions and geometry
 */
public record SyntheticCase(Volume ct, Volume labels) {}
