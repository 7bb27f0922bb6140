package io.github.unet3p.core.volume.nifti;

import io.github.unet3p.core.util.InvalidInputException;

/** Checks that a {@link NiftiHeader} describes a 3-D scalar volume this tool can read. */
final class NiftiHeaderCheck {

	private NiftiHeaderCheck() {}

	/**
	 * Checks that {@code h} describes a 3-D scalar volume this tool can read: dim[0] in 1..7,
	 * positive sizes, no non-1 4th or higher dimension, a supported datatype, finite spatial
	 * pixdim, a usable transform and scaling.
	 *
	 * <p>NB: a spatial pixdim of 0 is accepted and read as 1, and a negative one as its absolute
	 * value, because nibabel (the seed's reader) does so; a NaN or infinite one is refused since
	 * no spacing in mm can come from it.
	 *
	 * @throws InvalidInputException naming {@code fileName} and the problem
	 */
	static void validate(final NiftiHeader h, final String fileName) {
		final int n = h.dim(0);
		if (n < 1 || n > 7)
			throw new InvalidInputException(fileName + " has dim[0] = " + n + "; a NIfTI-1 file needs 1 to 7 dimensions"
					+ (n < 0 || n > 7 ? " (is the byte order damaged?)" : ""));
		for (int d = 1; d <= n; d++)
			if (h.dim(d) < 1)
				throw new InvalidInputException(fileName + " has dim[" + d + "] = " + h.dim(d) + "; every size must be at least 1");
		for (int d = 4; d <= n; d++)
			if (h.dim(d) != 1)
				throw new InvalidInputException(fileName + " is a " + n + "-D image (sizes " + h.sizes() + "); a 3-D volume is needed,"
						+ " so dimensions 4 and up must have size 1");
		if (NiftiDatatype.ofCode(h.datatypeCode()).isEmpty())
			throw new InvalidInputException(fileName + " has voxel datatype " + NiftiDatatype.describe(h.datatypeCode())
					+ ", which is not supported; supported: " + NiftiDatatype.supportedList());
		for (int d = 1; d <= Math.min(n, 3); d++)
			if (!Double.isFinite(h.pixdim(d)))
				throw new InvalidInputException(fileName + " has voxel size pixdim[" + d + "] = " + h.pixdim(d) + "; it must be a finite number");
		if (h.hasScaling() && !Double.isFinite(h.sclInter()))
			throw new InvalidInputException(fileName + " has scl_slope " + h.sclSlope() + " but scl_inter " + h.sclInter()
					+ "; the intercept must be finite");
		if (h.sformCode() != 0) {
			for (final double[] row : h.sformAffine())
				for (final double v : row)
					if (!Double.isFinite(v))
						throw new InvalidInputException(fileName + " has a non-finite value in its sform (srow_x/y/z)");
		}
		else if (h.qformCode() != 0) {
			for (final double v : h.quaternion())
				if (!Double.isFinite(v)) throw new InvalidInputException(fileName + " has a non-finite qform quaternion");
			for (final double v : h.qoffset())
				if (!Double.isFinite(v)) throw new InvalidInputException(fileName + " has a non-finite qform offset");
			try {
				h.qformAffine();
			}
			catch (final IllegalStateException e) {
				throw new InvalidInputException(fileName + " has an invalid qform: " + e.getMessage());
			}
		}
	}
}
