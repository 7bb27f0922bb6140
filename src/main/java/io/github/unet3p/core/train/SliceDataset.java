package io.github.unet3p.core.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

/**
 * A prepared dataset in the seed's layout: {@code images/image_N_k.png} (RGB, channels k−1, k,
 * k+1) paired by name with {@code mask/mask_N_k.png} (gray, labels 0…classes−1). Pairs are sorted
 * by case then slice number, so an index means the same slice on every machine.
 *
 * <p>Thread-safe: {@link #load} may be called from several loader threads at once.
 */
public final class SliceDataset {

	private static final Pattern IMAGE = Pattern.compile("image_(.+)\\.png");
	private static final Pattern MASK = Pattern.compile("mask_(.+)\\.png");
	private static final Pattern NUMBERS = Pattern.compile("(\\d+)_(\\d+)");

	private final Path folder;
	private final List<String> ids;
	private final int width;
	private final int height;
	private final int classes;
	private final AtomicReferenceArray<Sample> cache;

	private SliceDataset(final Path folder, final List<String> ids, final int width, final int height, final int classes, final boolean cache) {
		this.folder = folder;
		this.ids = ids;
		this.width = width;
		this.height = height;
		this.classes = classes;
		this.cache = cache ? new AtomicReferenceArray<>(ids.size()) : null;
	}

	/**
	 * Opens {@code folder}, pairing every image with its mask and checking the first pair's size.
	 *
	 * @param classes number of classes the masks must fit (2 for liver vs background; 1 also
	 *          means labels 0/1)
	 * @param cache keep decoded slices in memory after their first use
	 * @throws InvalidInputException when a folder is missing or empty, or an image has no mask (or
	 *           the reverse)
	 */
	public static SliceDataset open(final Path folder, final int classes, final boolean cache) {
		final Path images = folder.resolve("images"), masks = folder.resolve("mask");
		if (!Files.isDirectory(images) || !Files.isDirectory(masks))
			throw new InvalidInputException("Dataset folder " + folder + " must hold 'images/' and 'mask/' (as written by UNet3+ Preprocess).");
		final Map<String, Path> imageIds = list(images, IMAGE), maskIds = list(masks, MASK);
		final List<String> orphanImages = new ArrayList<>(), orphanMasks = new ArrayList<>();
		for (final String id : imageIds.keySet())
			if (!maskIds.containsKey(id)) orphanImages.add("image_" + id + ".png");
		for (final String id : maskIds.keySet())
			if (!imageIds.containsKey(id)) orphanMasks.add("mask_" + id + ".png");
		if (!orphanImages.isEmpty())
			throw new InvalidInputException(orphanImages.size() + " image(s) in " + images + " have no mask in " + masks + ": " + first(orphanImages) + ".");
		if (!orphanMasks.isEmpty())
			throw new InvalidInputException(orphanMasks.size() + " mask(s) in " + masks + " have no image in " + images + ": " + first(orphanMasks) + ".");
		if (imageIds.isEmpty()) throw new InvalidInputException("Dataset folder " + folder + " has no image_*.png slices.");
		final List<String> ids = new ArrayList<>(imageIds.keySet());
		ids.sort(ORDER);
		final SliceImage probe = read(images.resolve("image_" + ids.get(0) + ".png"));
		final SliceDataset set = new SliceDataset(folder, List.copyOf(ids), probe.width(), probe.height(), classes, cache);
		set.load(0);
		return set;
	}

	/** Numeric order for "N_k" ids (case, then slice), text order otherwise. */
	private static final Comparator<String> ORDER = (a, b) -> {
		final Matcher ma = NUMBERS.matcher(a), mb = NUMBERS.matcher(b);
		if (ma.matches() && mb.matches()) {
			final int c = Long.compare(Long.parseLong(ma.group(1)), Long.parseLong(mb.group(1)));
			return c != 0 ? c : Long.compare(Long.parseLong(ma.group(2)), Long.parseLong(mb.group(2)));
		}
		return a.compareTo(b);
	};

	private static String first(final List<String> names) {
		return String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", ..." : "");
	}

	private static Map<String, Path> list(final Path dir, final Pattern pattern) {
		final Map<String, Path> map = new TreeMap<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
			for (final Path f : files) {
				final Matcher m = pattern.matcher(f.getFileName().toString());
				if (m.matches() && Files.isRegularFile(f)) map.put(m.group(1), f);
			}
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot list " + dir + ": " + e.getMessage());
		}
		return map;
	}

	/** Number of image/mask pairs. */
	public int size() {
		return ids.size();
	}

	/** Slice width in pixels (all slices share it). */
	public int width() {
		return width;
	}

	/** Slice height in pixels. */
	public int height() {
		return height;
	}

	/** The id "N_k" of pair {@code index}. */
	public String id(final int index) {
		return ids.get(index);
	}

	/** The folder the dataset was opened from. */
	public Path folder() {
		return folder;
	}

	/**
	 * Decodes pair {@code index} and checks it: RGB image, gray mask, both of the dataset's size,
	 * labels below the class count.
	 */
	public Sample load(final int index) {
		if (cache != null) {
			final Sample cached = cache.get(index);
			if (cached != null) return cached;
		}
		final String id = ids.get(index);
		final Path imageFile = folder.resolve("images").resolve("image_" + id + ".png");
		final Path maskFile = folder.resolve("mask").resolve("mask_" + id + ".png");
		final SliceImage image = read(imageFile), mask = read(maskFile);
		if (image.channels() != 3) throw new InvalidInputException(imageFile + " is grayscale; training images must be RGB (slices k-1, k, k+1).");
		if (mask.channels() != 1) throw new InvalidInputException(maskFile + " has " + mask.channels() + " channels; masks must be grayscale labels.");
		for (final Object[] f : new Object[][] { { imageFile, image }, { maskFile, mask } }) {
			final SliceImage s = (SliceImage) f[1];
			if (s.width() != width || s.height() != height)
				throw new InvalidInputException(f[0] + " is " + s.width() + "×" + s.height() + " but the dataset's slices are " + width + "×" + height + ".");
		}
		final byte[] labels = mask.samples();
		final int maxLabel = Math.max(1, classes - 1);
		for (final byte b : labels)
			if ((b & 0xff) > maxLabel)
				throw new InvalidInputException(maskFile + " has label " + (b & 0xff) + "; with " + classes + " class(es) labels must be 0.." + maxLabel + ".");
		final Sample sample = new Sample(image.samples(), labels);
		if (cache != null) cache.set(index, sample);
		return sample;
	}

	private static SliceImage read(final Path file) {
		try {
			return PngCodec.read(file);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read " + file + ": " + e.getMessage());
		}
	}

	/** One decoded pair: interleaved RGB bytes (row-major) and one label byte per pixel. */
	public static final class Sample {

		private final byte[] rgb;
		private final byte[] labels;

		Sample(final byte[] rgb, final byte[] labels) {
			this.rgb = rgb;
			this.labels = labels;
		}

		/** Interleaved RGB samples, row-major; do not modify. */
		public byte[] rgb() {
			return rgb;
		}

		/** Labels, row-major; do not modify. */
		public byte[] labels() {
			return labels;
		}
	}
}
