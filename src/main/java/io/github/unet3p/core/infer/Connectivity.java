package io.github.unet3p.core.infer;

/** Which voxels of a 3-D grid touch each other. */
public enum Connectivity {

	/** Face neighbours only: the 6 voxels that differ by one step along one axis. */
	SIX,

	/** Face, edge and corner neighbours: all 26 voxels of the surrounding 3×3×3 cube. */
	TWENTY_SIX
}
