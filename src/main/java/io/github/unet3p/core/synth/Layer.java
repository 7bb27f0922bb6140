package io.github.unet3p.core.synth;

/** One tissue painted over what lies below it: a shape, its HU value and its edge width factor. */
final class Layer {

	final Tissue tissue;
	final double hu;
	final Shape shape;
	/** Width of the partial-volume ramp in in-plane voxels (1 = one voxel). */
	final double edge;

	Layer(final Tissue tissue, final double hu, final Shape shape, final double edge) {
		this.tissue = tissue;
		this.hu = hu;
		this.shape = shape;
		this.edge = edge;
	}
}
