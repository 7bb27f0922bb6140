package io.github.unet3p.core.infer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What {@link VolumeSegmenter} returns for one CT volume: the label volume in the input's voxel
 * grid and geometry, the per-class probability volumes if they were asked for, and the size of
 * the segmented foreground.
 */
public final class SegmentationResult {

	private final Img<UnsignedByteType> labels;
	private final List<Img<FloatType>> probabilities;
	private final VolumeGeometry geometry;
	private final long foregroundVoxels;

	SegmentationResult(final Img<UnsignedByteType> labels, final List<Img<FloatType>> probabilities, final VolumeGeometry geometry) {
		this.labels = labels;
		this.probabilities = Collections.unmodifiableList(new ArrayList<>(probabilities));
		this.geometry = geometry;
		long n = 0;
		for (final UnsignedByteType v : labels)
			if (v.get() != 0) n++;
		foregroundVoxels = n;
	}

	/** The labels as a volume: uint8 (0 = background, 1 = liver), the input's dims (I, J, K) and geometry. */
	public Volume labels() {
		return Volume.of(labels, geometry);
	}

	/** The label image itself (i, j, k), for writing or display. */
	public Img<UnsignedByteType> labelImage() {
		return labels;
	}

	/**
	 * The probability volumes, one per model output channel (index = class; one sigmoid channel for
	 * a one-class model), float in [0, 1], the input's dims and geometry; empty unless
	 * {@code probabilities} was set.
	 *
	 * <p>NB: these are the model's probabilities (after test-time flipping, before post-processing):
	 * they show where the model hesitated, not what post-processing removed.
	 */
	public List<Volume> probabilities() {
		final List<Volume> out = new ArrayList<>();
		for (final Img<FloatType> p : probabilities)
			out.add(Volume.of(p, geometry));
		return Collections.unmodifiableList(out);
	}

	/** The probability images (i, j, k), index = class; empty unless asked for. */
	public List<Img<FloatType>> probabilityImages() {
		return probabilities;
	}

	/** Number of non-zero label voxels (after post-processing). */
	public long foregroundVoxels() {
		return foregroundVoxels;
	}

	/** Volume of the non-zero labels in millilitres: voxels × the product of the spacing (mm³) / 1000. */
	public double foregroundMl() {
		final double[] s = geometry.spacing();
		return foregroundVoxels * s[0] * s[1] * s[2] / 1000.0;
	}

	@Override
	public String toString() {
		return String.format(java.util.Locale.ROOT, "%d foreground voxels, %.1f ml", foregroundVoxels, foregroundMl());
	}
}
