package io.github.unet3p.core.volume;

import java.util.Arrays;
import java.util.Locale;

import io.github.unet3p.core.util.InvalidInputException;
import net.imglib2.Cursor;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/** Checks on volumes that every stage needs before it trusts its input. */
public final class Volumes {

	/** Largest relative difference of two spacings still taken as the same grid. */
	public static final double SPACING_TOLERANCE = 1e-3;

	private Volumes() {}

	/**
	 * Requires every scaled value of {@code volume} to be finite (a CT with NaN or infinite voxels
	 * cannot be windowed or normalised).
	 *
	 * @param fileName names the volume in the message
	 * @throws InvalidInputException saying how many voxels are not finite and where the first
	 *             (in stored order i, j, k) is
	 */
	public static void requireFinite(final Volume volume, final String fileName) {
		if (volume.raw().getType() instanceof IntegerType) return; // integers times a finite scaling are finite
		final double slope = volume.slope(), intercept = volume.intercept();
		long bad = 0;
		long[] first = null;
		final Cursor<? extends RealType<?>> c = Views.flatIterable(volume.raw()).localizingCursor();
		while (c.hasNext()) {
			final double v = slope * c.next().getRealDouble() + intercept;
			if (!Double.isFinite(v)) {
				if (bad++ == 0) first = c.positionAsLongArray();
			}
		}
		if (bad > 0)
			throw new InvalidInputException(String.format(Locale.ROOT, "%s has %d voxel%s that %s NaN or infinite (the first at i=%d, j=%d, k=%d);"
					+ " every voxel must be a finite number", fileName, bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are", first[0], first[1], first[2]));
	}

	/**
	 * Requires {@code a} and {@code b} to share a voxel grid: the same sizes I×J×K and spacings
	 * equal within {@link #SPACING_TOLERANCE} (relative), as a prediction and its ground truth must.
	 *
	 * @throws InvalidInputException naming both volumes, their sizes or spacings
	 */
	public static void requireSameGrid(final Volume a, final String nameA, final Volume b, final String nameB) {
		final long[] da = a.dimensions(), db = b.dimensions();
		if (!Arrays.equals(da, db))
			throw new InvalidInputException(nameA + " has " + shape(da) + " voxels but " + nameB + " has " + shape(db)
					+ "; they must have the same voxel grid");
		final double[] sa = a.geometry().spacing(), sb = b.geometry().spacing();
		for (int d = 0; d < 3; d++)
			if (Math.abs(sa[d] - sb[d]) > SPACING_TOLERANCE * Math.max(Math.abs(sa[d]), Math.abs(sb[d])))
				throw new InvalidInputException(String.format(Locale.ROOT, "%s has voxel spacing %s mm but %s has %s mm;"
						+ " they must have the same voxel grid", nameA, spacing(sa), nameB, spacing(sb)));
	}

	private static String shape(final long[] d) {
		return d[0] + "×" + d[1] + "×" + d[2];
	}

	private static String spacing(final double[] s) {
		return String.format(Locale.ROOT, "%g×%g×%g", s[0], s[1], s[2]);
	}
}
