package io.github.unet3p.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import ai.djl.pytorch.jni.JniUtils;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.SegmentationResult;
import io.github.unet3p.core.infer.SliceDiceEvaluator;
import io.github.unet3p.core.infer.TorchProbabilityModel;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.Volume;
import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * The issue's validation of every inference fast mode against {@code fp32} on a trained model:
 * the seed's slice-wise Dice on prepared slices ({@link SliceDiceEvaluator}) must change by at most
 * {@value #MAX_DICE_DELTA} and the label volumes ({@link VolumeSegmenter}) by at most
 * {@value #MAX_VOXEL_SHARE_PERCENT} % of their voxels; also the segmentation throughput of each
 * mode, measured in interleaved rounds (every configuration once per round) and reported as medians.
 *
 * <p>A configuration is a {@link Precision} and a PyTorch intra-op thread count; the reference is
 * {@code fp32} at the engine's default thread count.
 *
 * <p>{@code FastPathValidation MODEL DATA VOLUMES [batch [rounds [threads,...]]]}: a model bundle,
 * a prepared folder ({@code images/}, {@code mask/}), a folder of {@code volume-*.nii[.gz]};
 * default batch 4, 3 rounds, the default thread count only. Prints one line per configuration and
 * {@code PASS}/{@code FAIL}; exits 1 on a failure.
 */
public final class FastPathValidation {

	/** Largest accepted change of the mean seed Dice. */
	static final double MAX_DICE_DELTA = 0.002;
	/** Largest accepted share of differing label voxels, in percent. */
	static final double MAX_VOXEL_SHARE_PERCENT = 0.1;

	private FastPathValidation() {}

	private record Config(Precision precision, int threads) {
		@Override
		public String toString() {
			return precision + "@" + threads + "t";
		}
	}

	public static void main(final String[] args) throws IOException {
		final Path modelPath = Path.of(args[0]);
		final Path data = Path.of(args[1]);
		final Path volumesFolder = Path.of(args[2]);
		final int batch = args.length > 3 ? Integer.parseInt(args[3]) : 4;
		final int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
		TorchEngine.get();
		TorchEngine.setGradientRecording(false);
		final int defaultThreads = JniUtils.getNumThreads();
		final int[] threads = args.length > 5 ? Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] { defaultThreads };
		final List<Config> configs = new ArrayList<>();
		configs.add(new Config(Precision.FP32, defaultThreads));
		for (final int t : threads)
			for (final Precision p : Precision.values())
				if (p != Precision.FP32 || t != defaultThreads) configs.add(new Config(p, t));

		final List<Path> volumeFiles;
		try (Stream<Path> s = Files.list(volumesFolder)) {
			volumeFiles = s.filter(p -> p.getFileName().toString().matches("volume-.*\\.nii(\\.gz)?")).sorted().toList();
		}
		final List<Volume> volumes = new ArrayList<>();
		long slices = 0, voxels = 0;
		for (final Path f : volumeFiles) {
			final Volume v = NiftiReader.read(f).volume();
			volumes.add(v);
			slices += v.size(2);
			voxels += (long) v.size(0) * v.size(1) * v.size(2);
		}
		System.out.printf(Locale.ROOT, "FastPathValidation: model %s, data %s, volumes %s (%d files, %d slices, %d voxels), batch %d, %d rounds; PyTorch %s, "
				+ "default %d intra-op threads; load: %s%n", modelPath, data, volumesFolder, volumes.size(), slices, voxels, batch, rounds,
				TorchEngine.get().getVersion(), defaultThreads, loadAverage());

		final List<TorchProbabilityModel> models = new ArrayList<>();
		try {
			for (final Config c : configs)
				models.add(TorchProbabilityModel.open(modelPath, c.precision()));
			final double[] dice = new double[configs.size()];
			final List<List<byte[]>> labels = new ArrayList<>();
			for (int c = 0; c < configs.size(); c++) {
				JniUtils.setNumThreads(configs.get(c).threads());
				final TorchProbabilityModel m = models.get(c);
				dice[c] = SliceDiceEvaluator.evaluate(data, m, m.preparation(), batch, ProgressListener.NONE, Cancellation.none()).meanDice();
				labels.add(segmentAll(volumes, m, settings(batch, configs.get(c))));
			}
			final double[][] seconds = new double[configs.size()][rounds];
			for (int r = 0; r < rounds; r++) {
				final StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
				for (int c = 0; c < configs.size(); c++) {
					JniUtils.setNumThreads(configs.get(c).threads());
					final long t0 = System.nanoTime();
					segmentAll(volumes, models.get(c), settings(batch, configs.get(c)));
					seconds[c][r] = (System.nanoTime() - t0) / 1e9;
					line.append(String.format(Locale.ROOT, " %s %.2f s", configs.get(c), seconds[c][r]));
				}
				System.out.println(line);
			}
			JniUtils.setNumThreads(defaultThreads);
			boolean pass = true;
			final double base = FastPathBench.median(seconds[0]);
			for (int c = 0; c < configs.size(); c++) {
				long differ = 0, foreground = 0;
				for (int v = 0; v < volumes.size(); v++) {
					final byte[] a = labels.get(0).get(v), b = labels.get(c).get(v);
					for (int i = 0; i < a.length; i++) {
						if (a[i] != b[i]) differ++;
						if (a[i] != 0) foreground++;
					}
				}
				final double delta = dice[c] - dice[0];
				final double share = 100.0 * differ / voxels;
				final boolean ok = Math.abs(delta) <= MAX_DICE_DELTA && share <= MAX_VOXEL_SHARE_PERCENT;
				pass &= ok;
				final double med = FastPathBench.median(seconds[c]);
				System.out.printf(Locale.ROOT, "%s: seed Dice %.6f (delta %+.6f), label voxels differing %d of %d (%.5f%%; %d foreground voxels in fp32), "
						+ "segmentation median %.2f s = %.2f slices/s (%.2fx %s) %s%n", configs.get(c), dice[c], delta, differ, voxels, share, foreground, med,
						slices / med, base / med, configs.get(0), ok ? "PASS" : "FAIL");
			}
			System.out.println("load after: " + loadAverage());
			if (!pass) System.exit(1);
		}
		finally {
			for (final TorchProbabilityModel m : models)
				m.close();
		}
	}

	private static InferenceSettings settings(final int batch, final Config c) {
		return InferenceSettings.builder().optBatch(batch).optPrecision(c.precision()).build();
	}

	/** The label volumes of {@code volumes}, each as its voxels in cursor order. */
	private static List<byte[]> segmentAll(final List<Volume> volumes, final TorchProbabilityModel model, final InferenceSettings settings) {
		final List<byte[]> out = new ArrayList<>();
		for (final Volume ct : volumes) {
			final SegmentationResult r = VolumeSegmenter.segment(ct, model.preparation(), model, settings, ProgressListener.NONE, Cancellation.none());
			final Volume l = r.labels();
			final byte[] v = new byte[l.size(0) * l.size(1) * l.size(2)];
			final Cursor<? extends RealType<?>> cursor = Views.flatIterable(l.raw()).cursor();
			for (int i = 0; cursor.hasNext(); i++)
				v[i] = (byte) cursor.next().getRealDouble();
			out.add(v);
		}
		return out;
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (final IOException e) {
			return "unknown";
		}
	}
}
