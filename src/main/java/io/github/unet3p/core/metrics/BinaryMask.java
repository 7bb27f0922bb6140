package io.github.unet3p.core.metrics;

import java.util.Arrays;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.Volume;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * A 3-D binary mask over the stored index order (i, j, k) with its voxel spacing in millimetres.
 * Immutable.
 *
 * <p>NB: the voxels are packed as bits, one row of constant (j, k) in whole 64-bit words, so a
 * 512×512×900 CT mask costs 29 MB and erosion works on 64 voxels at a time. Padding bits past
 * the end of a row are always 0; {@link SurfaceExtractor} relies on it.
 */
public final class BinaryMask {

	/** Decides one voxel of a mask being built. */
	@FunctionalInterface
	public interface VoxelPredicate {

		/** Whether voxel (i, j, k) belongs to the object. */
		boolean test(int i, int j, int k);
	}

	private final int[] dims;
	private final double[] spacing;
	private final int wordsPerRow;
	private final long[] words;

	private BinaryMask(final int[] dims, final double[] spacing, final long[] words) {
		this.dims = dims;
		this.spacing = spacing;
		this.wordsPerRow = wordsPerRow(dims[0]);
		this.words = words;
	}

	/**
	 * The object voxels of a label volume, with the volume's spacing.
	 *
	 * @param labels a label volume; labels are its scaled values (slope · raw + intercept)
	 * @param rule which labels form the object
	 * @throws InvalidInputException if the volume is too large to evaluate
	 */
	public static BinaryMask of(final Volume labels, final LabelRule rule) {
		return of(labels.raw(), labels.slope(), labels.intercept(), labels.geometry().spacing(), rule);
	}

	/**
	 * The object voxels of a label image taken as stored (no value scaling).
	 *
	 * @param labels exactly 3 dimensions (i, j, k); its min is ignored (index 0 = first voxel)
	 * @param spacing three positive, finite voxel sizes in mm
	 * @param rule which labels form the object
	 */
	public static BinaryMask of(final RandomAccessibleInterval<? extends RealType<?>> labels, final double[] spacing,
			final LabelRule rule) {
		return of(labels, 1, 0, spacing, rule);
	}

	private static BinaryMask of(final RandomAccessibleInterval<? extends RealType<?>> labels, final double slope,
			final double intercept, final double[] spacing, final LabelRule rule) {
		if (labels.numDimensions() != 3)
			throw new IllegalArgumentException("a label volume has 3 dimensions, not " + labels.numDimensions());
		final int[] dims = checkedDims(labels.dimensionsAsLongArray());
		final BinaryMask mask = new BinaryMask(dims, checkedSpacing(spacing), new long[wordCount(dims)]);
		final boolean scaled = slope != 1 || intercept != 0;
		final Cursor<? extends RealType<?>> cursor = Views.flatIterable(labels).cursor();
		final int rows = dims[1] * dims[2];
		for (int row = 0; row < rows; row++) {
			final int base = row * mask.wordsPerRow;
			for (int i = 0; i < dims[0]; i++) {
				final double raw = cursor.next().getRealDouble();
				if (rule.isObject(scaled ? slope * raw + intercept : raw)) mask.words[base + (i >>> 6)] |= 1L << i;
			}
		}
		return mask;
	}

	/**
	 * A mask whose voxels are decided one by one (for masks computed in code and for tests).
	 *
	 * @param dims sizes along i, j, k, each at least 1
	 * @param spacing three positive, finite voxel sizes in mm
	 */
	public static BinaryMask of(final int[] dims, final double[] spacing, final VoxelPredicate predicate) {
		final int[] d = checkedDims(Arrays.stream(dims).asLongStream().toArray());
		final BinaryMask mask = new BinaryMask(d, checkedSpacing(spacing), new long[wordCount(d)]);
		for (int k = 0; k < d[2]; k++)
			for (int j = 0; j < d[1]; j++) {
				final int base = mask.rowStart(j, k);
				for (int i = 0; i < d[0]; i++)
					if (predicate.test(i, j, k)) mask.words[base + (i >>> 6)] |= 1L << i;
			}
		return mask;
	}

	/** An all-background mask. */
	public static BinaryMask empty(final int[] dims, final double[] spacing) {
		return of(dims, spacing, (i, j, k) -> false);
	}

	/** A mask over the same grid built from packed rows (package use: erosion results). */
	static BinaryMask sameGrid(final BinaryMask grid, final long[] words) {
		if (words.length != grid.words.length) throw new IllegalArgumentException("word count differs from the grid's");
		return new BinaryMask(grid.dims, grid.spacing, words);
	}

	/** The same voxels with another spacing (the bits are shared, not copied). */
	public BinaryMask withSpacing(final double... newSpacing) {
		return new BinaryMask(dims, checkedSpacing(newSpacing), words);
	}

	/** Size along axis {@code d} (0 = i, 1 = j, 2 = k). */
	public int size(final int d) {
		return dims[d];
	}

	/** The three sizes (I, J, K). */
	public long[] dimensions() {
		return new long[] { dims[0], dims[1], dims[2] };
	}

	/** Voxel sizes in mm along i, j, k (a copy). */
	public double[] spacing() {
		return spacing.clone();
	}

	/** Whether voxel (i, j, k) belongs to the object; indices must lie inside the mask. */
	public boolean get(final int i, final int j, final int k) {
		if (i < 0 || j < 0 || k < 0 || i >= dims[0] || j >= dims[1] || k >= dims[2])
			throw new IndexOutOfBoundsException("voxel (" + i + ", " + j + ", " + k + ") outside " + Arrays.toString(dims));
		return (words[rowStart(j, k) + (i >>> 6)] >>> i & 1L) != 0;
	}

	/** The number of object voxels. */
	public long count() {
		long n = 0;
		for (final long w : words)
			n += Long.bitCount(w);
		return n;
	}

	/** Whether no voxel belongs to the object. */
	public boolean isEmpty() {
		for (final long w : words)
			if (w != 0) return false;
		return true;
	}

	/** Whether {@code other} has the same sizes (spacing is not compared). */
	public boolean sameShape(final BinaryMask other) {
		return Arrays.equals(dims, other.dims);
	}

	/** The packed rows; never modify. */
	long[] words() {
		return words;
	}

	/** Words per row of constant (j, k). */
	int wordsPerRow() {
		return wordsPerRow;
	}

	/** Index of the first word of row (j, k). */
	int rowStart(final int j, final int k) {
		return (j + dims[1] * k) * wordsPerRow;
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof BinaryMask)) return false;
		final BinaryMask m = (BinaryMask) o;
		return Arrays.equals(dims, m.dims) && Arrays.equals(spacing, m.spacing) && Arrays.equals(words, m.words);
	}

	@Override
	public int hashCode() {
		return (31 * Arrays.hashCode(dims) + Arrays.hashCode(spacing)) * 31 + Arrays.hashCode(words);
	}

	@Override
	public String toString() {
		return "BinaryMask[" + dims[0] + "×" + dims[1] + "×" + dims[2] + ", spacing=" + Arrays.toString(spacing) + ", voxels=" + count() + "]";
	}

	private static int wordsPerRow(final int rowLength) {
		return (rowLength + 63) >>> 6;
	}

	private static int wordCount(final int[] dims) {
		return wordsPerRow(dims[0]) * dims[1] * dims[2];
	}

	/**
	 * NB: the limit is the packed size (2^31 − 1 words, i.e. about 1.4·10^11 voxels), far above any
	 * CT; beyond it an evaluation is refused before anything is allocated.
	 */
	private static int[] checkedDims(final long[] dims) {
		if (dims.length != 3) throw new IllegalArgumentException("a mask has 3 dimensions, not " + dims.length);
		for (final long d : dims)
			if (d < 1 || d > Integer.MAX_VALUE)
				throw new InvalidInputException("mask size " + Arrays.toString(dims) + " is not usable: every axis needs 1 to " + Integer.MAX_VALUE + " voxels");
		long words;
		try {
			words = Math.multiplyExact(Math.multiplyExact((dims[0] + 63) >>> 6, dims[1]), dims[2]);
		}
		catch (final ArithmeticException e) {
			words = Long.MAX_VALUE;
		}
		if (words > Integer.MAX_VALUE - 8)
			throw new InvalidInputException("mask size " + Arrays.toString(dims) + " is too large to evaluate: at most about 1.4e11 voxels");
		return new int[] { (int) dims[0], (int) dims[1], (int) dims[2] };
	}

	private static double[] checkedSpacing(final double[] spacing) {
		if (spacing.length != 3) throw new IllegalArgumentException("spacing needs 3 values, not " + spacing.length);
		for (final double s : spacing)
			if (!(s > 0) || !Double.isFinite(s))
				throw new InvalidInputException("voxel spacing " + Arrays.toString(spacing) + " is not usable: expected 3 positive, finite sizes in mm");
		return spacing.clone();
	}
}
