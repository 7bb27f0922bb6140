package io.github.unet3p.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.infer.TorchProbabilityModel;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.train.TrainSettings;
import io.github.unet3p.core.train.Trainer;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

/**
 * A long session in one JVM: {@code batches} inference batches through {@link TorchProbabilityModel}
 * (the path Segment uses) and {@code steps} training steps through {@link Trainer}, with the
 * resident memory (VmRSS) and the live native arrays after warm-up and at the end.
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dai.djl.offline=true \
 *   -cp target/classes:target/test-classes:$(cat target/classpath.txt) io.github.unet3p.bench.SoakBench [batches [steps]]
 * </pre>
 *
 * NB: the heap is fixed and pre-touched so that its growth does not count as a leak; what grows
 * is native memory (PyTorch's allocator, DJL's arrays) or the heap's live set (printed apart).
 */
public final class SoakBench {

	private static final int SIZE = 64, FILTERS = 4, BATCH = 2;

	private SoakBench() {}

	/** Runs the soak; arguments: inference batches (default 1000), training steps (default 200). */
	public static void main(final String... args) throws Exception {
		final int batches = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
		final int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
		final Path tmp = Files.createTempDirectory("unet3p-soak-");
		try {
			System.out.printf(Locale.ROOT, "Soak: filters %d, size %d, batch %d; %s cores; max heap %d MiB%n", FILTERS, SIZE, BATCH,
					Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
			inference(tmp.resolve("bundle"), batches);
			training(tmp, steps);
		}
		finally {
			try (Stream<Path> files = Files.walk(tmp)) {
				for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
					Files.deleteIfExists(p);
			}
		}
	}

	private static void inference(final Path bundle, final int batches) throws IOException {
		final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(FILTERS).optSize(SIZE).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
			net.initialize(m, 5);
			ModelWeights.save(net.block(), bundle.resolve(ModelBundle.WEIGHTS_FILE));
		}
		new ModelBundle(spec, new PreparationSpec(-200, 250, SIZE), null).writeSpec(bundle);
		final float[] input = new float[BATCH * 3 * SIZE * SIZE];
		final SplittableRandom random = new SplittableRandom(5);
		for (int i = 0; i < input.length; i++)
			input[i] = (float) random.nextDouble();
		final int warmup = Math.min(100, batches / 10);
		try (TorchProbabilityModel model = TorchProbabilityModel.open(bundle)) {
			for (int b = 0; b < warmup; b++)
				model.predict(input, BATCH);
			final Sample start = Sample.now();
			final long t0 = System.nanoTime();
			double checksum = 0;
			for (int b = warmup; b < batches; b++)
				checksum += model.predict(input, BATCH)[b % 100];
			final double ms = (System.nanoTime() - t0) / 1e6 / (batches - warmup);
			final Sample end = Sample.now();
			report("inference", batches + " batches (" + warmup + " warm-up)", start, end);
			System.out.printf(Locale.ROOT, "  %.1f ms per batch of %d (checksum %.3f)%n", ms, BATCH, checksum);
		}
	}

	private static void training(final Path tmp, final int steps) throws Exception {
		final int slices = 16, perEpoch = slices / BATCH, epochs = Math.max(2, steps / perEpoch);
		final Path train = dataset(tmp.resolve("train"), slices), val = dataset(tmp.resolve("val"), 2);
		final TrainSettings settings = TrainSettings.builder().setTrain(train).setValidation(val).setModel(tmp.resolve("model"))
				.optArchitecture(ModelSpec.builder().optBackbone("unet3plus").optFilters(FILTERS)).optEpochs(epochs).optBatch(BATCH).optSeed(5)
				.optPatience(epochs + 1).build();
		final Sample[] marks = new Sample[2];
		final long[] t = new long[2];
		new Trainer(settings, ProgressListener.NONE, Cancellation.none(), (row, best) -> {
			if (row.epoch() == 0) {
				marks[0] = Sample.now();
				t[0] = System.nanoTime();
			}
			if (row.epoch() == epochs - 1) {
				marks[1] = Sample.now();
				t[1] = System.nanoTime();
			}
		}).run();
		report("training", epochs * perEpoch + " steps in " + epochs + " epochs (epoch 1 = warm-up; each epoch validates and checkpoints)", marks[0], marks[1]);
		System.out.printf(Locale.ROOT, "  %.1f s per epoch of %d steps after warm-up%n", (t[1] - t[0]) / 1e9 / (epochs - 1), perEpoch);
	}

	private static Path dataset(final Path folder, final int count) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		Files.createDirectories(folder.resolve("mask"));
		final SplittableRandom random = new SplittableRandom(count);
		for (int s = 0; s < count; s++) {
			final byte[] rgb = new byte[SIZE * SIZE * 3], mask = new byte[SIZE * SIZE];
			final int r = 10 + random.nextInt(12), cx = 20 + random.nextInt(24), cy = 20 + random.nextInt(24);
			for (int p = 0; p < SIZE * SIZE; p++) {
				final int dx = p % SIZE - cx, dy = p / SIZE - cy;
				final boolean in = dx * dx + dy * dy < r * r;
				mask[p] = (byte) (in ? 1 : 0);
				for (int c = 0; c < 3; c++)
					rgb[3 * p + c] = (byte) ((in ? 150 : 40) + random.nextInt(40));
			}
			PngCodec.write(folder.resolve("images/image_0_" + s + ".png"), new SliceImage(SIZE, SIZE, 3, rgb));
			PngCodec.write(folder.resolve("mask/mask_0_" + s + ".png"), SliceImage.gray(SIZE, SIZE, mask));
		}
		return folder;
	}

	private static void report(final String what, final String detail, final Sample start, final Sample end) {
		System.out.printf(Locale.ROOT, "%s: %s%n", what, detail);
		System.out.printf(Locale.ROOT, "  VmRSS %.1f MiB after warm-up, %.1f MiB at the end: %+.2f%%%n", start.rssKb / 1024.0, end.rssKb / 1024.0,
				100.0 * (end.rssKb - start.rssKb) / start.rssKb);
		System.out.printf(Locale.ROOT, "  live heap %.1f → %.1f MiB; live native arrays %d → %d%n", start.heap / 1048576.0, end.heap / 1048576.0, start.arrays,
				end.arrays);
	}

	/** Resident memory, live heap after a GC, and DJL's live arrays at one moment. */
	private record Sample(long rssKb, long heap, int arrays) {

		static Sample now() {
			System.gc();
			final Runtime rt = Runtime.getRuntime();
			final int arrays;
			try (NDManager probe = TorchEngine.get().newBaseManager()) {
				arrays = probe.getParentManager().getManagedArrays().size();
			}
			return new Sample(rss(), rt.totalMemory() - rt.freeMemory(), arrays);
		}

		private static long rss() {
			try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
				return lines.filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
			}
			catch (final IOException e) {
				return -1;
			}
		}
	}
}
