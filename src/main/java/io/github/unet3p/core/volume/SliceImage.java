package io.github.unet3p.core.volume;

import java.util.Arrays;

/**
 * An immutable 2-D image of 8-bit samples: {@code width × height} pixels of 1 (gray) or 3 (RGB)
 * channels, stored interleaved and row-major (sample {@code c} of pixel {@code (x, y)} at
 * {@code (y·width + x)·channels + c}). It is what the seed's dataset holds per slice: an RGB
 * image of three neighbouring CT slices, or a gray 0/1 mask.
 */
public final class SliceImage {

	/** The largest number of samples an image may hold (1 GiB). */
	public static final long MAX_SAMPLES = 1L << 30;

	private final int width;
	private final int height;
	private final int channels;
	private final byte[] samples;

	/**
	 * Creates an image from a copy of {@code samples}.
	 *
	 * @param width number of columns, at least 1
	 * @param height number of rows, at least 1
	 * @param channels 1 (gray) or 3 (RGB)
	 * @param samples exactly {@code width·height·channels} bytes, interleaved, row-major
	 */
	public SliceImage(final int width, final int height, final int channels, final byte[] samples) {
		this(width, height, channels, samples, true);
	}

	private SliceImage(final int width, final int height, final int channels, final byte[] samples, final boolean copy) {
		if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be positive: " + width + "×" + height);
		if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, not " + channels);
		final long n = (long) width * height * channels;
		if (n > MAX_SAMPLES) throw new IllegalArgumentException("image too large: " + width + "×" + height + "×" + channels);
		if (samples.length != n)
			throw new IllegalArgumentException("expected " + n + " samples for " + width + "×" + height + "×" + channels + ", got " + samples.length);
		this.width = width;
		this.height = height;
		this.channels = channels;
		this.samples = copy ? samples.clone() : samples;
	}

	/**
	 * Creates an image that takes ownership of {@code samples} (no copy).
	 *
	 * <p>NB: public only for the codecs of {@code core.volume.png}, whose decoder drops its reference
	 * immediately and so can skip the copy; any other caller should use the copying constructor.
	 */
	public static SliceImage wrap(final int width, final int height, final int channels, final byte[] samples) {
		return new SliceImage(width, height, channels, samples, false);
	}

	/** A gray image from a copy of {@code samples} ({@code width·height} bytes, row-major). */
	public static SliceImage gray(final int width, final int height, final byte[] samples) {
		return new SliceImage(width, height, 1, samples);
	}

	/** An RGB image from a copy of {@code samples} ({@code width·height·3} bytes, interleaved R, G, B). */
	public static SliceImage rgb(final int width, final int height, final byte[] samples) {
		return new SliceImage(width, height, 3, samples);
	}

	/** Number of columns. */
	public int width() {
		return width;
	}

	/** Number of rows. */
	public int height() {
		return height;
	}

	/** 1 for gray, 3 for RGB. */
	public int channels() {
		return channels;
	}

	/** Sample {@code c} of pixel (column {@code x}, row {@code y}) as 0…255. */
	public int get(final int x, final int y, final int c) {
		if (x < 0 || x >= width || y < 0 || y >= height || c < 0 || c >= channels)
			throw new IndexOutOfBoundsException("(" + x + ", " + y + ", " + c + ") outside " + width + "×" + height + "×" + channels);
		return samples[(y * width + x) * channels + c] & 0xff;
	}

	/** A copy of all samples, interleaved, row-major. */
	public byte[] samples() {
		return samples.clone();
	}

	/**
	 * The samples without a copy. NB: public only for the codecs of {@code core.volume.png}, which
	 * never modify them; any other caller should use {@link #samples()}.
	 */
	public byte[] samplesUnsafe() {
		return samples;
	}

	/** One channel as a row-major plane (a copy). */
	public byte[] channel(final int c) {
		if (c < 0 || c >= channels) throw new IndexOutOfBoundsException("channel " + c + " of " + channels);
		final byte[] plane = new byte[width * height];
		for (int p = 0, s = c; p < plane.length; p++, s += channels)
			plane[p] = samples[s];
		return plane;
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof SliceImage)) return false;
		final SliceImage s = (SliceImage) o;
		return width == s.width && height == s.height && channels == s.channels && Arrays.equals(samples, s.samples);
	}

	@Override
	public int hashCode() {
		return (31 * (31 * width + height) + channels) * 31 + Arrays.hashCode(samples);
	}

	@Override
	public String toString() {
		return "SliceImage[" + width + "×" + height + "×" + channels + "]";
	}
}
