package io.github.unet3p.fiji.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.VolumeGeometry;

/**
 * Orders the slices of one DICOM series along the slice normal and derives the volume's spacing
 * and RAS affine, refusing series that do not form one regular stack.
 *
 * <p>Conventions of the resulting volume (stored index order i fastest, then j, then k):
 * <ul>
 * <li>i = DICOM column (the direction of the first Image Orientation triplet),</li>
 * <li>j = DICOM row, counted from the last row up: {@code j = Rows − 1 − r},</li>
 * <li>k = slice, in ascending order of Image Position projected on the normal
 * {@code n = rowDirection × columnDirection}.</li>
 * </ul>
 * NB: the row flip is what dcm2niix does by default (NIfTI stores the first row at the bottom,
 * DICOM at the top), and ascending order along the right-handed normal is the order dcm2niix gives
 * a spatially sorted CT. So an axial CT read here has the same voxel array and the same affine
 * (LAS storage: i towards patient left, j towards anterior, k towards superior) as the NIfTI
 * dcm2niix writes for it, and the seed's {@code np.rot90} preprocessing sees the same picture.
 * Do not "simplify" by dropping the flip: a model trained on NIfTI would then see mirrored
 * slices. The affine maps (i, j, k) to RAS millimetres: DICOM's patient coordinates are LPS, so
 * x and y change sign.
 */
final class DicomSeriesGeometry {

	/** Positions closer than this along the normal are the same position (mm). */
	static final double DUPLICATE_MM = 0.01;
	/** A gap longer than this many median spacings means slices are missing. */
	static final double GAP_FACTOR = 1.5;
	/** A gap shorter than this many median spacings is an irregular stack. */
	static final double CROWD_FACTOR = 0.5;

	private final List<DicomSliceHeader> ordered;
	private final VolumeGeometry geometry;

	private DicomSeriesGeometry(final List<DicomSliceHeader> ordered, final VolumeGeometry geometry) {
		this.ordered = ordered;
		this.geometry = geometry;
	}

	/** The slices in k order. */
	List<DicomSliceHeader> ordered() {
		return ordered;
	}

	VolumeGeometry geometry() {
		return geometry;
	}

	/**
	 * Orders {@code slices} (all of size {@code columns × rows}, each with Image Position and
	 * Orientation) and computes the geometry.
	 *
	 * @throws InvalidInputException naming {@code folder} if orientations or pixel spacings differ,
	 *             two slices share a position, slices are missing, or the stack is irregular
	 */
	static DicomSeriesGeometry of(final Path folder, final List<DicomSliceHeader> slices, final int rows) {
		final DicomSliceHeader first = slices.get(0);
		final double[] iop = first.decimals(DicomSliceHeader.ORIENTATION, 6);
		final double[] x = unit(Arrays.copyOfRange(iop, 0, 3), first, "row");
		final double[] y = unit(Arrays.copyOfRange(iop, 3, 6), first, "column");
		if (Math.abs(dot(x, y)) > 1e-2)
			throw new InvalidInputException("DICOM folder " + folder + ": the Image Orientation (Patient) of " + first.file().getFileName()
					+ " has row and column directions that are not perpendicular (" + first.get(DicomSliceHeader.ORIENTATION) + ")");
		final double[] spacing = pixelSpacing(first);
		checkAlike(folder, slices, iop, spacing);
		final double[] n = cross(x, y);

		final List<Placed> placed = new ArrayList<>();
		for (final DicomSliceHeader s : slices) {
			final double[] p = s.decimals(DicomSliceHeader.POSITION, 3);
			placed.add(new Placed(s, p, dot(p, n)));
		}
		placed.sort(Comparator.comparingDouble(Placed::along));
		checkSpacing(folder, placed);
		final double[] step = sliceStep(folder, placed, n, Math.min(spacing[0], spacing[1]));
		final double[] voxel = { spacing[1], spacing[0], norm(step) };
		final List<DicomSliceHeader> ordered = new ArrayList<>();
		for (final Placed p : placed)
			ordered.add(p.slice);
		return new DicomSeriesGeometry(ordered, new VolumeGeometry(voxel, affine(x, y, placed.get(0).position, step, spacing, rows)));
	}

	/** Refuses slices whose orientation or pixel spacing differ from the first's ({@code iop}, {@code spacing}). */
	private static void checkAlike(final Path folder, final List<DicomSliceHeader> slices, final double[] iop, final double[] spacing) {
		final DicomSliceHeader first = slices.get(0);
		for (final DicomSliceHeader s : slices) {
			final double[] o = s.decimals(DicomSliceHeader.ORIENTATION, 6);
			for (int d = 0; d < 6; d++)
				if (Math.abs(o[d] - iop[d]) > 1e-4)
					throw new InvalidInputException("DICOM folder " + folder + ": slices have different orientations: "
							+ first.file().getFileName() + " has Image Orientation (Patient) " + first.get(DicomSliceHeader.ORIENTATION) + ", "
							+ s.file().getFileName() + " has " + s.get(DicomSliceHeader.ORIENTATION) + " (expected one stack of parallel slices)");
			final double[] ps = pixelSpacing(s);
			if (Math.abs(ps[0] - spacing[0]) > 1e-4 * spacing[0] || Math.abs(ps[1] - spacing[1]) > 1e-4 * spacing[1])
				throw new InvalidInputException("DICOM folder " + folder + ": slices have different Pixel Spacing: " + first.file().getFileName()
						+ " has " + first.get(DicomSliceHeader.PIXEL_SPACING) + " mm, " + s.file().getFileName() + " has " + s.get(DicomSliceHeader.PIXEL_SPACING) + " mm");
		}
	}

	/**
	 * The step from one slice to the next in LPS mm: the mean step of a checked-collinear stack, or for
	 * one slice the normal {@code n} times its spacing between slices, else its thickness, else 1.
	 */
	private static double[] sliceStep(final Path folder, final List<Placed> placed, final double[] n, final double inPlane) {
		final int k = placed.size();
		final double[] p0 = placed.get(0).position;
		if (k > 1) {
			final double[] last = placed.get(k - 1).position;
			final double[] step = new double[3];
			for (int d = 0; d < 3; d++)
				step[d] = (last[d] - p0[d]) / (k - 1);
			checkCollinear(folder, placed, step, inPlane);
			return step;
		}
		final DicomSliceHeader first = placed.get(0).slice;
		double thickness = first.decimal(DicomSliceHeader.SPACING_BETWEEN_SLICES, 0);
		if (!(thickness > 0)) thickness = first.decimal(DicomSliceHeader.SLICE_THICKNESS, 0);
		if (!(thickness > 0)) thickness = 1;
		return scale(n, thickness);
	}

	/**
	 * The RAS voxel-to-world affine of a stack whose first slice's first pixel is at {@code p0} (LPS):
	 * i along the row direction {@code x}, j against the column direction {@code y} starting from the
	 * last of {@code rows} rows, k along {@code step}.
	 */
	private static double[][] affine(final double[] x, final double[] y, final double[] p0, final double[] step, final double[] spacing,
			final int rows) {
		final double rowStep = spacing[0], columnStep = spacing[1];
		final double[] colI = scale(x, columnStep);
		final double[] colJ = scale(y, -rowStep);
		final double[] origin = new double[3];
		for (int d = 0; d < 3; d++)
			origin[d] = p0[d] + (rows - 1) * rowStep * y[d];
		final double[][] affine = new double[4][4];
		final double[] lpsToRas = { -1, -1, 1 };
		for (int d = 0; d < 3; d++) {
			affine[d][0] = lpsToRas[d] * colI[d];
			affine[d][1] = lpsToRas[d] * colJ[d];
			affine[d][2] = lpsToRas[d] * step[d];
			affine[d][3] = lpsToRas[d] * origin[d];
		}
		affine[3][3] = 1;
		return affine;
	}

	/** Refuses duplicate positions, missing slices (gaps over 1.5 × median) and crowded slices. */
	private static void checkSpacing(final Path folder, final List<Placed> placed) {
		final List<String> duplicates = new ArrayList<>();
		for (int s = 1; s < placed.size(); s++) {
			final Placed a = placed.get(s - 1), b = placed.get(s);
			if (b.along - a.along < DUPLICATE_MM) duplicates.add(a.name() + " and " + b.name() + " (both at " + mm(b.along) + ")");
		}
		if (!duplicates.isEmpty())
			throw new InvalidInputException("DICOM folder " + folder + ": " + duplicates.size() + " pair(s) of slices share a position: "
					+ list(duplicates) + ". Expected one slice per position; the folder may hold several acquisitions or a copy of some files.");
		if (placed.size() < 3) return;
		final double[] gaps = new double[placed.size() - 1];
		for (int s = 1; s < placed.size(); s++)
			gaps[s - 1] = placed.get(s).along - placed.get(s - 1).along;
		final double[] sorted = gaps.clone();
		Arrays.sort(sorted);
		final double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
		final List<String> missing = new ArrayList<>();
		final List<String> crowded = new ArrayList<>();
		for (int s = 1; s < placed.size(); s++) {
			final double g = gaps[s - 1];
			final Placed a = placed.get(s - 1), b = placed.get(s);
			final String where = "between " + a.name() + " (at " + mm(a.along) + ") and " + b.name() + " (at " + mm(b.along) + ")";
			if (g > GAP_FACTOR * median) {
				final long count = Math.max(1, Math.round(g / median) - 1);
				missing.add(mm(g) + " " + where + ", about " + count + " slice(s) missing");
			}
			else if (g < CROWD_FACTOR * median) crowded.add(mm(g) + " " + where);
		}
		if (!missing.isEmpty())
			throw new InvalidInputException("DICOM folder " + folder + ": slices are missing; the slices are " + mm(median)
					+ " apart, but there is a gap of " + list(missing) + ". Expected a complete series.");
		if (!crowded.isEmpty())
			throw new InvalidInputException("DICOM folder " + folder + ": the slice spacing is irregular; the slices are " + mm(median)
					+ " apart, but only " + list(crowded) + ". Expected evenly spaced slices.");
	}

	/** Refuses positions that do not lie on one line (two stacks side by side). */
	private static void checkCollinear(final Path folder, final List<Placed> placed, final double[] step, final double tolerance) {
		final double len = norm(step);
		final double[] u = scale(step, 1 / len);
		final double[] p0 = placed.get(0).position;
		for (final Placed p : placed) {
			final double[] d = new double[3];
			for (int c = 0; c < 3; c++)
				d[c] = p.position[c] - p0[c];
			final double along = dot(d, u);
			double off = 0;
			for (int c = 0; c < 3; c++)
				off += Math.pow(d[c] - along * u[c], 2);
			if (Math.sqrt(off) > tolerance)
				throw new InvalidInputException("DICOM folder " + folder + ": slice " + p.name() + " is " + mm(Math.sqrt(off))
						+ " off the line through the first and last slice positions; expected one straight stack");
		}
	}

	private static double[] pixelSpacing(final DicomSliceHeader s) {
		final double[] ps = s.decimals(DicomSliceHeader.PIXEL_SPACING, 2);
		if (ps == null)
			throw new InvalidInputException("DICOM file " + s.file() + " has no Pixel Spacing (0028,0030); cannot place its voxels in millimetres");
		if (!(ps[0] > 0) || !(ps[1] > 0))
			throw new InvalidInputException("DICOM file " + s.file() + " has a Pixel Spacing that is not positive: " + s.get(DicomSliceHeader.PIXEL_SPACING));
		return ps;
	}

	private static double[] unit(final double[] v, final DicomSliceHeader s, final String which) {
		final double len = norm(v);
		if (Math.abs(len - 1) > 1e-2)
			throw new InvalidInputException("DICOM file " + s.file() + ": the " + which + " direction in Image Orientation (Patient) "
					+ s.get(DicomSliceHeader.ORIENTATION) + " is not a unit vector");
		return scale(v, 1 / len);
	}

	private static String list(final List<String> items) {
		final int shown = Math.min(5, items.size());
		final String head = String.join("; ", items.subList(0, shown));
		return items.size() > shown ? head + "; and " + (items.size() - shown) + " more" : head;
	}

	private static String mm(final double v) {
		return String.format(Locale.ROOT, "%.3f mm", v);
	}

	private static double dot(final double[] a, final double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	private static double[] cross(final double[] a, final double[] b) {
		return new double[] { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0] };
	}

	private static double norm(final double[] v) {
		return Math.sqrt(dot(v, v));
	}

	private static double[] scale(final double[] v, final double f) {
		return new double[] { v[0] * f, v[1] * f, v[2] * f };
	}

	/** A slice with its position and its coordinate along the normal. */
	private static final class Placed {

		final DicomSliceHeader slice;
		final double[] position;
		final double along;

		Placed(final DicomSliceHeader slice, final double[] position, final double along) {
			this.slice = slice;
			this.position = position;
			this.along = along;
		}

		double along() {
			return along;
		}

		String name() {
			return slice.file().getFileName().toString();
		}
	}
}
