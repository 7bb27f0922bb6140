package io.github.unet3p.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.infer.SegmentationResult;
import io.github.unet3p.testsupport.TinyBundles;
import io.github.unet3p.core.infer.VolumeSegmenter;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.view.Views;

/**
 * End-to-end inference speed and memory: a random-weight model bundle (seed architecture:
 * {@code unet3plus} variant, {@code vgg19} encoder, 2 classes, 320 × 320) segments the first
 * {@code slices} slices of a 512 × 512 × 200 synthetic int16 CT through the {@code engine}'s
 * {@link BundleModel} and {@link VolumeSegmenter}, as {@code UNet3+ Segment Files} does.
 *
 * <p>{@code SegmentBench [filters [slices [batch [size [depth [engine [bundle]]]]]]]}, default 64 16
 * 4 320 200 pytorch ({@code depth}: slices of the synthetic volume; {@code engine}: pytorch or
 * onnxruntime; {@code bundle}: a folder for the random-weight bundle, written when it has none and
 * reused otherwise, so that a second ONNX Runtime run finds the cached export and never starts
 * PyTorch; default a temporary folder). Prints the time to open the model, slices/s
 * (after one warm-up batch), the peak Java heap (sum of the heap pools' peak usage, reset before
 * the timed run) and the process' peak resident set size ({@code VmHWM} of /proc/self/status,
 * which includes PyTorch's native memory and the JVM itself).
 */
public final class SegmentBench {

	private SegmentBench() {}

	public static void main(final String[] args) throws IOException {
		final int filters = args.length > 0 ? Integer.parseInt(args[0]) : 64;
		final int slices = args.length > 1 ? Integer.parseInt(args[1]) : 16;
		final int batch = args.length > 2 ? Integer.parseInt(args[2]) : 4;
		final int size = args.length > 3 ? Integer.parseInt(args[3]) : 320;
		final int depth = args.length > 4 ? Integer.parseInt(args[4]) : 200;
		final InferenceEngine engine = InferenceEngine.fromKey(args.length > 5 ? args[5] : "");
		if (args.length > 6) {
			run(Path.of(args[6]), filters, slices, batch, size, depth, engine);
			return;
		}
		final Path dir = Files.createTempDirectory("segment-bench");
		try {
			run(dir.resolve("model"), filters, slices, batch, size, depth, engine);
		}
		finally {
			try (Stream<Path> files = Files.walk(dir)) {
				for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
					Files.deleteIfExists(p);
			}
		}
	}

	private static void run(final Path bundleFolder, final int filters, final int slices, final int batch, final int size, final int depth, final InferenceEngine engine)
		throws IOException
	{
		final ModelSpec spec = ModelSpec.builder().optFilters(filters).optSize(size).build();
		final Path bundle = ModelBundle.isBundle(bundleFolder) ? bundleFolder : TinyBundles.write(bundleFolder, spec, -200, 250, 5);
		if (!ModelBundle.read(bundle).architecture().equals(spec)) throw new IllegalArgumentException(bundle + " holds another architecture than " + spec);
		final Volume full = Volume.of(SegmentGeometryBench.syntheticCt(512, 512, depth), VolumeGeometry.ofSpacing(0.7, 0.7, 2.5));
		final Volume ct = Volume.of(Views.interval(full.raw(), new long[] { 0, 0, 0 }, new long[] { 511, 511, slices - 1 }), full.geometry());
		System.out.printf(Locale.ROOT, "engine %s; model %s; volume 512×512×%d (of %d) int16; batch %d; %d cores; max heap %d MB; OMP_NUM_THREADS=%s%n", engine,
				spec, slices, depth, batch, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, System.getenv("OMP_NUM_THREADS"));
		final long o0 = System.nanoTime();
		try (BundleModel model = ProbabilityModels.open(bundle, engine, Precision.FP32)) {
			System.out.printf(Locale.ROOT, "model opened in %.2f s; peak RSS so far (VmHWM) %s%n", (System.nanoTime() - o0) / 1e9, status("VmHWM"));
			final InferenceSettings settings = InferenceSettings.builder().optBatch(batch).build();
			final long w0 = System.nanoTime();
			model.predict(new float[batch * 3 * size * size], batch);
			System.out.printf(Locale.ROOT, "warm-up batch: %.2f s%n", (System.nanoTime() - w0) / 1e9);
			System.gc();
			for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
				pool.resetPeakUsage();
			final long t0 = System.nanoTime();
			final SegmentationResult r = VolumeSegmenter.segment(ct, model.preparation(), model, settings, ProgressListener.NONE, Cancellation.none());
			final double seconds = (System.nanoTime() - t0) / 1e9;
			long heapPeak = 0;
			for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
				if (pool.getType() == MemoryType.HEAP) heapPeak += pool.getPeakUsage().getUsed();
			System.out.printf(Locale.ROOT, "segmented %d slices in %.1f s: %.3f slices/s (%.2f s/slice); %d foreground voxels%n", slices, seconds,
					slices / seconds, seconds / slices, r.foregroundVoxels());
			System.out.printf(Locale.ROOT, "peak Java heap %d MB; peak RSS (VmHWM) %s; RSS now (VmRSS) %s%n", heapPeak >> 20, status("VmHWM"), status("VmRSS"));
		}
	}

	private static String status(final String key) throws IOException {
		for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
			if (line.startsWith(key + ":")) {
				final long kb = Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
				return (kb >> 10) + " MB";
			}
		return "n/a";
	}
}
