package io.github.unet3p.core.bioimageio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonObject;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.preprocess.ChannelStacker;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.preprocess.SlicePreparer;
import io.github.unet3p.core.synth.RandSyntheticCt;
import io.github.unet3p.core.synth.SyntheticCase;
import io.github.unet3p.core.synth.SyntheticCtSettings;
import io.github.unet3p.core.train.TrainKeys;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.png.PngCodec;

/**
 * The prepared slice a package's test tensors come from: the RGB (k−1, k, k+1) image as the
 * network sees it before the division by 255, and where it came from.
 *
 * @param image {@code size × size}, 3 channels
 * @param origin a sentence for the documentation ("images/image_3_41.png of the training data
 *            …", or the synthetic CT it was prepared from)
 */
public record TestSlice(SliceImage image, String origin) {

	/** Mask files looked at, at most, to find a slice with much liver. */
	static final int MAX_MASKS_READ = 64;
	/** The seed of the synthetic CT used when no training slice is reachable. */
	static final long SYNTHETIC_SEED = 24;

	/**
	 * A slice of the training data the bundle's record names ({@code training.train}: its
	 * {@code images/} beside {@code mask/}), the one with the most foreground among at most
	 * {@value #MAX_MASKS_READ} evenly spaced slices; or, when that folder is gone or holds no slice
	 * of the bundle's size, the middle slice of a synthetic CT prepared with the bundle's preparation.
	 */
	public static TestSlice choose(final ModelBundle bundle) {
		final JsonObject t = bundle.training();
		final int size = bundle.preparation().size();
		if (t.has(TrainKeys.TRAIN) && t.get(TrainKeys.TRAIN).isJsonPrimitive()) {
			final Optional<TestSlice> s = fromTraining(Path.of(t.get(TrainKeys.TRAIN).getAsString()), size);
			if (s.isPresent()) return s.get();
		}
		return synthetic(bundle.preparation());
	}

	/** The training slice with the most foreground among a sample, when the folder has slices of {@code size}. */
	static Optional<TestSlice> fromTraining(final Path data, final int size) {
		final Path images = data.resolve("images"), masks = data.resolve("mask");
		if (!Files.isDirectory(images)) return Optional.empty();
		final List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(images, "image_*.png")) {
			ds.forEach(files::add);
		}
		catch (final IOException e) {
			return Optional.empty();
		}
		files.sort(null);
		if (files.isEmpty()) return Optional.empty();
		final int sample = Math.min(MAX_MASKS_READ, files.size());
		Path best = null;
		long bestCount = -1;
		for (int i = 0; i < sample; i++) {
			final Path image = files.get((int) ((long) i * files.size() / sample));
			final Path mask = masks.resolve(image.getFileName().toString().replaceFirst("^image_", "mask_"));
			final long count = foreground(mask);
			if (count > bestCount) {
				bestCount = count;
				best = image;
			}
		}
		try {
			final SliceImage img = PngCodec.read(best);
			if (img.width() != size || img.height() != size || img.channels() != 3) return Optional.empty();
			return Optional.of(new TestSlice(img, best.getFileName() + " of the training data (" + data + ")"));
		}
		catch (final IOException | RuntimeException e) {
			return Optional.empty();
		}
	}

	private static long foreground(final Path mask) {
		try {
			final byte[] s = PngCodec.read(mask).samplesUnsafe();
			long n = 0;
			for (final byte b : s)
				if (b != 0) n++;
			return n;
		}
		catch (final IOException | RuntimeException e) {
			return 0;
		}
	}

	/** The middle slice of synthetic CT case 0 (seed {@value #SYNTHETIC_SEED}), prepared with {@code p}. */
	static TestSlice synthetic(final PreparationSpec p) {
		final SyntheticCtSettings settings = SyntheticCtSettings.builder().setCount(1).setSeed(SYNTHETIC_SEED).optSize(Math.max(SyntheticCtSettings.MIN_SIZE, Math.min(SyntheticCtSettings.MAX_SIZE, p.size()))).build();
		final SyntheticCase c = RandSyntheticCt.generate(settings, 0);
		final PreprocessSettings ps = PreprocessSettings.builder().optHuMin(p.huMin()).optHuMax(p.huMax()).optSize(p.size()).build();
		final SlicePreparer preparer = SlicePreparer.of(ps, c.ct());
		final SlicePreparer.Workspace ws = preparer.newWorkspace();
		final int k = settings.slices() / 2, count = settings.slices();
		final byte[][] planes = new byte[3][];
		for (int ch = 0; ch < 3; ch++)
			planes[ch] = preparer.imagePlane(c.ct(), ChannelStacker.neighbour(k, ch, count), ws);
		final SliceImage img = SliceImage.rgb(p.size(), p.size(), ChannelStacker.interleave(planes[0], planes[1], planes[2]));
		return new TestSlice(img, "slice " + k + " of a synthetic CT (UNet3+ Synthetic CT, seed " + SYNTHETIC_SEED
				+ "; no slice of the training data was reachable when the package was made)");
	}

	/** The test input tensor: (1, 3, size, size), the uint8 values as float32 (0…255), channels R, G, B. */
	public NpyFile input() {
		final int w = image.width(), h = image.height();
		final float[] v = new float[3 * w * h];
		final byte[] rgb = image.samplesUnsafe();
		for (int c = 0; c < 3; c++)
			for (int p = 0; p < w * h; p++)
				v[c * w * h + p] = rgb[p * 3 + c] & 0xff;
		return new NpyFile(new long[] { 1, 3, h, w }, v);
	}
}
