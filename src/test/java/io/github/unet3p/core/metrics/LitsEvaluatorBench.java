package io.github.unet3p.core.metrics;

import java.util.Locale;
import java.util.Random;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/**
 * Times the evaluation of a CT-sized pair of liver-like label volumes (a runnable program, not a
 * test). Arguments: {@code [I J K [repeats [spread]]]}, default 512 512 200 3; with {@code spread} the
 * prediction is mirrored through the volume's centre, so the two surfaces span the whole volume (the
 * slowest layout for the distance transform, which works in their common bounding box).
 *
 * <p>Run after {@code mvn -o test-compile}:
 * {@code java -cp target/classes:target/test-classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
 * io.github.unet3p.core.metrics.LitsEvaluatorBench}
 */
public final class LitsEvaluatorBench {

	private LitsEvaluatorBench() {}

	/** Runs the benchmark and prints timings. */
	public static void main(final String[] args) {
		final int ni = args.length > 0 ? Integer.parseInt(args[0]) : 512;
		final int nj = args.length > 1 ? Integer.parseInt(args[1]) : 512;
		final int nk = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		final int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
		final boolean spread = args.length > 4 && args[4].equals("spread");
		final VolumeGeometry geometry = VolumeGeometry.ofSpacing(0.7, 0.7, 2.5);
		final long t0 = System.nanoTime();
		final Volume truth = Volume.of(liver(new Random(1), ni, nj, nk, 0, false), geometry);
		final Volume prediction = Volume.of(liver(new Random(1), ni, nj, nk, 4, spread), geometry);
		System.out.printf(Locale.ROOT, "volumes %d×%d×%d generated in %.2f s%n", ni, nj, nk, (System.nanoTime() - t0) / 1e9);
		for (int r = 0; r < repeats; r++) {
			long t = System.nanoTime();
			final BinaryMask p = BinaryMask.of(prediction, LabelRule.LIVER), tm = BinaryMask.of(truth, LabelRule.LIVER);
			final double masks = (System.nanoTime() - t) / 1e9;
			t = System.nanoTime();
			final BinaryMask sp = SurfaceExtractor.surface(p), st = SurfaceExtractor.surface(tm);
			final double surfaces = (System.nanoTime() - t) / 1e9;
			t = System.nanoTime();
			final CaseMetrics m = LitsEvaluator.evaluate(prediction, "prediction", truth, "truth", LabelRule.LIVER, Cancellation.none(),
					ProgressListener.NONE);
			final double total = (System.nanoTime() - t) / 1e9;
			System.out.printf(Locale.ROOT, "run %d: evaluate %.2f s (of which masks ≈ %.2f s, surfaces ≈ %.2f s); |P| %d |T| %d, surface voxels %d + %d%n",
					r + 1, total, masks, surfaces, m.predictionVoxels(), m.truthVoxels(), sp.count(), st.count());
			System.out.println("        " + MetricsText.line("blob", m));
		}
		final Runtime rt = Runtime.getRuntime();
		System.out.printf(Locale.ROOT, "heap in use after runs: %d MB (the two uint8 volumes alone are %d MB)%n",
				(rt.totalMemory() - rt.freeMemory()) >> 20, 2L * ni * nj * nk >> 20);
	}

	/**
	 * A liver-like label volume: three overlapping ellipsoids (label 1) with a tumour ellipsoid
	 * (label 2). {@code jitter} voxels of random displacement of centres and radii turn a truth
	 * into a plausible prediction; the same seed gives the same base shape; {@code mirror} puts it
	 * in the opposite corner.
	 */
	private static ArrayImg<UnsignedByteType, ByteArray> liver(final Random random, final int ni, final int nj, final int nk, final double jitter,
			final boolean mirror) {
		final double[][] e = {
				{ 0.45, 0.45, 0.50, 0.22, 0.20, 0.30 },
				{ 0.62, 0.40, 0.45, 0.15, 0.18, 0.25 },
				{ 0.38, 0.55, 0.55, 0.12, 0.12, 0.20 },
				{ 0.50, 0.47, 0.52, 0.05, 0.05, 0.06 } };
		final Random noise = new Random(random.nextLong() + (long) jitter);
		final ArrayImg<UnsignedByteType, ByteArray> img = ArrayImgs.unsignedBytes(ni, nj, nk);
		final byte[] data = img.update(null).getCurrentStorageArray();
		for (int b = 0; b < e.length; b++) {
			if (mirror)
				for (int d = 0; d < 3; d++)
					e[b][d] = e[b][d] < 0.5 ? e[b][d] - 0.2 : e[b][d] + 0.2;
			final double ci = e[b][0] * ni + jitter * noise.nextGaussian(), cj = e[b][1] * nj + jitter * noise.nextGaussian();
			final double ck = e[b][2] * nk + jitter / 4 * noise.nextGaussian();
			final double ri = e[b][3] * ni + jitter * noise.nextGaussian(), rj = e[b][4] * nj + jitter * noise.nextGaussian();
			final double rk = e[b][5] * nk + jitter / 4 * noise.nextGaussian();
			final byte label = (byte) (b == e.length - 1 ? 2 : 1);
			for (int k = 0; k < nk; k++) {
				final double dk = (k - ck) / rk;
				if (dk * dk > 1) continue;
				for (int j = 0; j < nj; j++) {
					final double dj = (j - cj) / rj;
					final double rest = 1 - dk * dk - dj * dj;
					if (rest < 0) continue;
					final double half = ri * Math.sqrt(rest);
					final int from = Math.max(0, (int) Math.ceil(ci - half)), to = Math.min(ni - 1, (int) Math.floor(ci + half));
					final int row = ni * (j + nj * k);
					for (int i = from; i <= to; i++)
						data[row + i] = label;
				}
			}
		}
		return img;
	}
}
