package io.github.unet3p.core.preprocess;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * The prepared network input of a whole open volume, for interactive use: an 8-bit image of
 * dimensions (x = size, y = size, channel = 3, z = K) whose channels at slice k are the prepared
 * slices k−1, k and k+1 (clamped), exactly the RGB images {@link LitsPreparer} writes.
 */
public final class WindowedStack {

	private WindowedStack() {}

	/** The prepared stack of {@code volume}, computed on all cores. */
	public static PlanarImg<UnsignedByteType, ByteArray> of(final Volume volume, final PreprocessSettings settings) {
		return of(volume, settings, Runtime.getRuntime().availableProcessors(), ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * The prepared stack of {@code volume}.
	 *
	 * @param threads number of threads (1 works on the calling thread)
	 * @param progress receives slices done / total under the task "Preparing stack"
	 * @param cancellation checked before every slice
	 * @throws InvalidInputException if the stack would exceed 2^31 bytes
	 */
	public static PlanarImg<UnsignedByteType, ByteArray> of(final Volume volume, final PreprocessSettings settings, final int threads,
			final ProgressListener progress, final Cancellation cancellation) {
		final int size = settings.size(), count = volume.size(2);
		if ((long) size * size * 3 * count > Integer.MAX_VALUE)
			throw new InvalidInputException("the prepared stack of " + count + " slices at size " + size + " would exceed 2 GiB; lower size or crop the volume");
		final PlanarImg<UnsignedByteType, ByteArray> img = PlanarImgs.unsignedBytes(size, size, 3, count);
		final SlicePreparer preparer = SlicePreparer.of(settings, volume);
		final String task = "Preparing stack";
		final ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
		try {
			// NB: each prepared slice lands once in channel G of its own z; R and B are copies.
			Parallel.forEach(pool, threads, 0, count, preparer, cancellation, task, (k, ws) -> {
				final byte[] plane = preparer.imagePlane(volume, k, ws);
				System.arraycopy(plane, 0, img.getPlane(1 + 3 * k).getCurrentStorageArray(), 0, plane.length);
			});
			for (int k = 0; k < count; k++) {
				final byte[] red = img.getPlane(3 * k).getCurrentStorageArray(), blue = img.getPlane(2 + 3 * k).getCurrentStorageArray();
				System.arraycopy(img.getPlane(1 + 3 * ChannelStacker.neighbour(k, 0, count)).getCurrentStorageArray(), 0, red, 0, red.length);
				System.arraycopy(img.getPlane(1 + 3 * ChannelStacker.neighbour(k, 2, count)).getCurrentStorageArray(), 0, blue, 0, blue.length);
			}
			progress.progress(task, count, count);
		}
		finally {
			if (pool != null) pool.shutdownNow();
		}
		return img;
	}
}
