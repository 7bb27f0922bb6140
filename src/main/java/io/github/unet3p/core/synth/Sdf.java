package io.github.unet3p.core.synth;

/**
 * A solid given by its (approximate) signed distance in mm: negative inside, positive outside,
 * accurate near the surface, where the partial-volume edge is drawn.
 */
@FunctionalInterface
interface Sdf {

	/** Signed distance of the point (x, y, z) in mm from the surface. */
	double at(double x, double y, double z);
}
