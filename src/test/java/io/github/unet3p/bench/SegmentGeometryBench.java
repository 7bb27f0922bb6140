package io.github.unet3p.bench;

import java.util.Random;

import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.ProbabilityModel;
import io.github.unet3p.core.infer.SegmentationResult;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.preprocess.SlicePreparer;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.integer.ShortType;

/**
 * Time of the model-independent part of inference (slice preparation, back-mapping, optional
 * post-processing) on a synthetic CT, with a fake model that costs one pass over its input:
 * {@code SegmentGeometryBench [I J K [size [repeats]]]}, default 512 512 200 320 3.
 */
public final class SegmentGeometryBench {

	private SegmentGeometryBench() {}

	public static void main(final String[] args) {
		final int sizeI = args.length > 0 ? Integer.parseInt(args[0]) : 512;
		final int sizeJ = args.length > 1 ? Integer.parseInt(args[1]) : 512;
		final int sizeK = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		final int size = args.length > 3 ? Integer.parseInt(args[3]) : 320;
		final int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 3;
		final Volume ct = Volume.of(syntheticCt(sizeI, sizeJ, sizeK), VolumeGeometry.ofSpacing(0.7, 0.7, 2.5));
		final PreprocessSettings prep = PreprocessSettings.builder().optSize(size).build();
		final ProbabilityModel model = brightIsForeground(size);
		System.out.printf("volume %d×%d×%d, size %d, %d cores, max heap %d MB%n", sizeI, sizeJ, sizeK, size,
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

		for (int rep = 0; rep < repeats; rep++) {
			final long t0 = System.nanoTime();
			final SlicePreparer preparer = SlicePreparer.of(prep, ct);
			final SlicePreparer.Workspace ws = preparer.newWorkspace();
			for (int k = 0; k < sizeK; k++)
				preparer.imagePlane(ct, k, ws);
			final double prepare = seconds(t0);
			final double plain = time(ct, prep, model, InferenceSettings.defaults());
			final double largest = time(ct, prep, model, InferenceSettings.builder().optLargestComponent(true).build());
			final double holes = time(ct, prep, model, InferenceSettings.builder().optFillHoles(true).build());
			final double tta = time(ct, prep, model, InferenceSettings.builder().optTtaFlip(true).build());
			final double probs = time(ct, prep, model, InferenceSettings.builder().optProbabilities(true).build());
			System.out.printf("run %d: preparation alone %.2f s; segment %.2f s; with largest_component %.2f s; with fill_holes %.2f s; "
					+ "with tta_flip %.2f s; with probabilities %.2f s%n", rep + 1, prepare, plain, largest, holes, tta, probs);
		}
	}

	private static double time(final Volume ct, final PreprocessSettings prep, final ProbabilityModel model, final InferenceSettings s) {
		final long t0 = System.nanoTime();
		final SegmentationResult r = VolumeSegmenter.segment(ct, prep, model, s, ProgressListener.NONE, Cancellation.none());
		final double sec = seconds(t0);
		if (r.foregroundVoxels() == 0) throw new IllegalStateException("nothing segmented");
		return sec;
	}

	private static double seconds(final long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}

	/** Air, a body ellipse of 40 HU and a liver-like ellipsoid of 100 HU, with seeded noise. */
	static ArrayImg<ShortType, ShortArray> syntheticCt(final int sizeI, final int sizeJ, final int sizeK) {
		final ArrayImg<ShortType, ShortArray> img = ArrayImgs.shorts(sizeI, sizeJ, sizeK);
		final short[] v = img.update(null).getCurrentStorageArray();
		final Random rnd = new Random(5);
		int idx = 0;
		for (int k = 0; k < sizeK; k++)
			for (int j = 0; j < sizeJ; j++)
				for (int i = 0; i < sizeI; i++, idx++) {
					final double x = (i - sizeI / 2.0) / (0.45 * sizeI), y = (j - sizeJ / 2.0) / (0.35 * sizeJ);
					final double lx = (i - 0.35 * sizeI) / (0.15 * sizeI), ly = (j - 0.45 * sizeJ) / (0.15 * sizeJ),
							lz = (k - 0.5 * sizeK) / (0.3 * sizeK);
					double hu = x * x + y * y < 1 ? 40 : -1000;
					if (lx * lx + ly * ly + lz * lz < 1) hu = 100;
					v[idx] = (short) (hu + 10 * rnd.nextGaussian());
				}
		return img;
	}

	/** Foreground probability = the G channel: one pass over the input, so the model costs next to nothing. */
	static ProbabilityModel brightIsForeground(final int size) {
		return new ProbabilityModel() {
			@Override
			public int size() {
				return size;
			}

			@Override
			public int classes() {
				return 2;
			}

			@Override
			public float[] predict(final float[] in, final int batch) {
				final int area = size * size;
				final float[] out = new float[batch * 2 * area];
				for (int n = 0; n < batch; n++)
					for (int p = 0; p < area; p++) {
						final float g = in[(n * 3 + 1) * area + p] > 0.6f ? 1f : 0f;
						out[2 * n * area + p] = 1 - g;
						out[(2 * n + 1) * area + p] = g;
					}
				return out;
			}
		};
	}
}
