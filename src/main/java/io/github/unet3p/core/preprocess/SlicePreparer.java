package io.github.unet3p.core.preprocess;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;

/**
 * Turns the axial slices of one volume (and its label volume) into the seed's training pairs:
 * per slice k an RGB {@link SliceImage} of the prepared slices (k−1, k, k+1) and a gray 0/1 mask,
 * all {@code size × size}.
 *
 * <p>A prepared image slice ({@link #imagePlane}) is: stored slice → {@link Rot90} → {@link CubicResize}
 * to size × size → {@link HuWindow} → {@link SliceScaler}. A mask ({@link #maskPlane}) is: stored
 * label slice → {@link Rot90} → {@link NearestResize} → {@link LabelMerge}. Planes are row-major,
 * {@code size} rows of {@code size}.
 *
 * <p>Immutable and thread-safe for one slice geometry (I, J); every thread uses its own
 * {@link Workspace}.
 */
public final class SlicePreparer {

	/** Bytes of prepared uint8 planes {@link #prepare} aims to hold per block of slices. */
	private static final long PLANE_BUDGET = 64L << 20;

	private final PreprocessSettings settings;
	private final int sizeI, sizeJ;
	private final CubicResize cubic;
	/** NearestResize's source row (of the rotated slice, J rows) and column (I columns) per output index. */
	private final int[] maskRows, maskColumns;

	/**
	 * A preparer for slices of {@code sizeI × sizeJ} stored voxels.
	 *
	 * @throws InvalidInputException if a slice has more than 2^28 voxels
	 */
	public SlicePreparer(final PreprocessSettings settings, final int sizeI, final int sizeJ) {
		if (sizeI < 1 || sizeJ < 1 || (long) sizeI * sizeJ > 1 << 28)
			throw new InvalidInputException("an axial slice of " + sizeI + "×" + sizeJ + " voxels is outside what preprocessing accepts (1 to 2^28 voxels)");
		this.settings = settings;
		this.sizeI = sizeI;
		this.sizeJ = sizeJ;
		final int size = settings.size();
		// NB: after Rot90 a slice has J rows (height) and I columns (width).
		this.cubic = CubicResize.of(sizeI, sizeJ, size, size);
		this.maskRows = NearestResize.table(sizeJ, size);
		this.maskColumns = NearestResize.table(sizeI, size);
	}

	/** A preparer for the slices of {@code volume}. */
	public static SlicePreparer of(final PreprocessSettings settings, final Volume volume) {
		return new SlicePreparer(settings, volume.size(0), volume.size(1));
	}

	/** The settings this preparer applies. */
	public PreprocessSettings settings() {
		return settings;
	}

	/** Buffers for one thread's slices. */
	public final class Workspace {

		final double[] stored = new double[sizeI * sizeJ];
		final double[] rotated = new double[sizeI * sizeJ];
		final double[] resized = new double[settings.size() * settings.size()];
		final double[] scratch = new double[cubic.scratchLength()];

		private Workspace() {}
	}

	/** Fresh buffers for one thread. */
	public Workspace newWorkspace() {
		return new Workspace();
	}

	/**
	 * The prepared uint8 plane of image slice {@code k}: rotated, resized (cubic), clipped to the
	 * HU window and scaled to 0…255 with the slice's own range.
	 */
	public byte[] imagePlane(final Volume volume, final int k, final Workspace ws) {
		checkShape(volume);
		volume.axialSlice(k, ws.stored);
		Rot90.storedSlice(ws.stored, sizeI, sizeJ, ws.rotated);
		cubic.apply(ws.rotated, ws.resized, ws.scratch);
		final int n = ws.resized.length;
		HuWindow.clip(ws.resized, n, settings.huMin(), settings.huMax());
		final byte[] plane = new byte[n];
		SliceScaler.toUint8(ws.resized, n, plane);
		return plane;
	}

	/**
	 * The 0/1 uint8 plane of label slice {@code k}: rotated, resized (nearest), labels merged.
	 *
	 * <p>NB: the three steps are one gather from the stored slice — output (x, y) is 1 where the
	 * stored voxel (i = xs[x], j = J−1−ys[y]) of {@link NearestResize}'s tables is non-zero — which
	 * is what {@link Rot90}, {@link NearestResize} and {@link LabelMerge} in turn give, without the
	 * two full-size intermediate planes.
	 */
	public byte[] maskPlane(final Volume labels, final int k, final Workspace ws) {
		checkShape(labels);
		labels.axialSlice(k, ws.stored);
		final int size = settings.size();
		final byte[] plane = new byte[size * size];
		for (int y = 0; y < size; y++) {
			final int run = sizeI * (sizeJ - 1 - maskRows[y]), t = y * size;
			for (int x = 0; x < size; x++)
				plane[t + x] = ws.stored[run + maskColumns[x]] != 0 ? (byte) 1 : (byte) 0;
		}
		return plane;
	}

	private void checkShape(final Volume v) {
		if (v.size(0) != sizeI || v.size(1) != sizeJ)
			throw new IllegalArgumentException("volume slices are " + v.size(0) + "×" + v.size(1) + ", this preparer handles " + sizeI + "×" + sizeJ);
	}

	/** Receives the prepared pairs; called from worker threads, for distinct {@code k} concurrently. */
	@FunctionalInterface
	public interface SliceSink {

		/**
		 * Takes the outputs of slice {@code k}.
		 *
		 * @param image the RGB image (R = k−1, G = k, B = k+1)
		 * @param mask the gray 0/1 mask, or null when there are no labels
		 */
		void accept(int k, SliceImage image, SliceImage mask) throws IOException;
	}

	/**
	 * Prepares every slice of {@code image} (and {@code labels}) and hands them to {@code sink},
	 * in parallel on {@code pool}, keeping only the planes the (k−1, k, k+1) window of the slices in
	 * flight needs.
	 *
	 * @param image the CT volume
	 * @param labels the label volume of the same shape, or null
	 * @param sink receives each slice's outputs, from worker threads
	 * @param pool the threads to use, or null to work on the calling thread
	 * @param threads how many tasks to split each block into (the pool's size)
	 * @param task the name progress is reported under
	 * @param progress receives slices done / total after each block
	 * @param cancellation checked before every slice
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled
	 * @throws java.io.UncheckedIOException if the sink fails
	 */
	public void prepare(final Volume image, final Volume labels, final SliceSink sink, final ExecutorService pool, final int threads,
			final String task, final ProgressListener progress, final Cancellation cancellation) {
		checkShape(image);
		final int count = image.size(2);
		if (labels != null && !Arrays.equals(image.dimensions(), labels.dimensions()))
			throw new IllegalArgumentException("labels are " + Arrays.toString(labels.dimensions()) + ", image is " + Arrays.toString(image.dimensions()));
		final int size = settings.size();
		final int parallel = pool == null ? 1 : Math.max(1, threads);
		// NB: up to 16 slices per thread in a block keeps the two barriers per block rare; the prepared
		// planes a block holds stay within PLANE_BUDGET bytes (at least 2 slices per thread).
		final int block = (int) Math.max(2L * parallel, Math.min(16L * parallel, PLANE_BUDGET / ((long) size * size)));
		final byte[][] planes = new byte[count][];
		for (int start = 0; start < count; start += block) {
			final int end = Math.min(count, start + block);
			final int first = Math.max(start - 1, 0), last = Math.min(end, count - 1);
			Parallel.forEach(pool, parallel, first, last + 1, this, cancellation, task, (k, ws) -> {
				if (planes[k] == null) planes[k] = imagePlane(image, k, ws);
			});
			Parallel.forEach(pool, parallel, start, end, this, cancellation, task, (k, ws) -> {
				final byte[] rgb = ChannelStacker.interleave(planes[ChannelStacker.neighbour(k, 0, count)], planes[k],
						planes[ChannelStacker.neighbour(k, 2, count)]);
				final SliceImage mask = labels == null ? null : SliceImage.gray(size, size, maskPlane(labels, k, ws));
				sink.accept(k, SliceImage.rgb(size, size, rgb), mask);
			});
			// NB: the next block reads planes end−1 and end only; drop the rest.
			for (int k = first; k < end - 1; k++)
				planes[k] = null;
			progress.progress(task, end, count);
		}
	}
}
