package io.github.unet3p.bench;

import io.github.unet3p.core.preprocess.ChannelStacker;
import io.github.unet3p.core.preprocess.CubicResize;
import io.github.unet3p.core.preprocess.HuWindow;
import io.github.unet3p.core.preprocess.LabelMerge;
import io.github.unet3p.core.preprocess.NearestResize;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.preprocess.Rot90;
import io.github.unet3p.core.preprocess.SliceScaler;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one thread's preprocessing time goes, stage by stage, on one LiTS case:
 * {@code PrepareProfile VOLUME SEGMENTATION OUTPUT SIZE [ROUNDS]}. Runs the stages of
 * {@code SlicePreparer} and {@code LitsPreparer} one after the other on every slice (the first
 * round warms the JIT up and is not reported) and prints milliseconds per slice for each. OUTPUT
 * must not exist yet or be empty: each round writes into a new subfolder of it.
 */
public final class PrepareProfile {

	private final Map<String, Long> nanos = new LinkedHashMap<>();
	private long mark;

	private PrepareProfile() {}

	private void start() {
		mark = System.nanoTime();
	}

	private void stop(final String stage) {
		final long now = System.nanoTime();
		nanos.merge(stage, now - mark, Long::sum);
		mark = now;
	}

	public static void main(final String[] args) throws IOException {
		final Path volumeFile = Path.of(args[0]), labelFile = Path.of(args[1]), out = Path.of(args[2]);
		final int size = Integer.parseInt(args[3]);
		final int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
		final PreprocessSettings settings = PreprocessSettings.builder().optSize(size).build();
		Files.createDirectories(out);
		for (int round = 0; round < rounds; round++) {
			final PrepareProfile p = new PrepareProfile();
			// NB: a fresh folder per round: replacing files costs ext4 a flush per file (auto_da_alloc)
			final Path folder = out.resolve("round-" + round);
			final int slices = p.run(volumeFile, labelFile, folder, settings);
			if (round == 0) continue;
			long total = 0;
			for (final long t : p.nanos.values())
				total += t;
			System.out.printf("round %d: %d slices, %.1f ms, %.1f slices/s on one thread%n", round, slices, total / 1e6, slices / (total / 1e9));
			for (final Map.Entry<String, Long> e : p.nanos.entrySet())
				System.out.printf("  %-22s %7.3f ms/slice  %5.1f %%%n", e.getKey(), e.getValue() / 1e6 / slices, 100.0 * e.getValue() / total);
		}
	}

	private int run(final Path volumeFile, final Path labelFile, final Path out, final PreprocessSettings settings) throws IOException {
		start();
		final Volume volume = NiftiReader.read(volumeFile).volume();
		stop("read volume");
		final Volume labels = NiftiReader.read(labelFile).volume();
		stop("read labels");
		final int sizeI = volume.size(0), sizeJ = volume.size(1), count = volume.size(2), size = settings.size(), n = size * size;
		final CubicResize cubic = CubicResize.of(sizeI, sizeJ, size, size);
		final NearestResize nearest = NearestResize.of(sizeI, sizeJ, size, size);
		final double[] stored = new double[sizeI * sizeJ], rotated = new double[sizeI * sizeJ], resized = new double[n],
				scratch = new double[cubic.scratchLength()];
		final byte[][] planes = new byte[count][];
		stop("setup");
		for (int k = 0; k < count; k++) {
			volume.axialSlice(k, stored);
			stop("image axialSlice");
			Rot90.storedSlice(stored, sizeI, sizeJ, rotated);
			stop("image rot90");
			cubic.apply(rotated, resized, scratch);
			stop("cubic resize");
			HuWindow.clip(resized, n, settings.huMin(), settings.huMax());
			stop("HU window");
			planes[k] = new byte[n];
			SliceScaler.toUint8(resized, n, planes[k]);
			stop("scale to uint8");
		}
		for (int k = 0; k < count; k++) {
			final byte[] rgb = ChannelStacker.interleave(planes[ChannelStacker.neighbour(k, 0, count)], planes[k],
					planes[ChannelStacker.neighbour(k, 2, count)]);
			final SliceImage image = SliceImage.rgb(size, size, rgb);
			stop("stack channels");
			final byte[] png = PngCodec.encode(image);
			stop("PNG encode image");
			AtomicFiles.write(out.resolve("image_" + k + ".png"), png);
			stop("write image file");
			labels.axialSlice(k, stored);
			Rot90.storedSlice(stored, sizeI, sizeJ, rotated);
			nearest.apply(rotated, resized);
			final byte[] mask = new byte[n];
			LabelMerge.toBinary(resized, n, mask);
			stop("mask (slice→0/1)");
			final byte[] maskPng = PngCodec.encode(SliceImage.gray(size, size, mask));
			stop("PNG encode mask");
			AtomicFiles.write(out.resolve("mask_" + k + ".png"), maskPng);
			stop("write mask file");
		}
		return count;
	}
}
