package io.github.unet3p.core.volume.tiff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.loops.LoopBuilder;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Reads and writes TIFF stacks without AWT or ImageIO: multi-page baseline TIFF (little or big
 * endian; strips or tiles; uncompressed, PackBits, LZW or Deflate, with the horizontal predictor;
 * 8-bit grey or chunky RGB, 16-bit signed or unsigned grey, 32-bit float grey) in, uncompressed or
 * Deflate multi-page TIFF out, atomically, with an ImageJ description so ImageJ sees a calibrated
 * stack.
 *
 * <p>Two views of the same file: {@link #read} gives the pixels as TIFF stores them (x, y from the
 * top row, channel, page); {@link #readVolume} gives a grey stack as a {@link Volume}, where the rows
 * are flipped so that j counts from the bottom row. NB: the flip makes a TIFF exported from a CT
 * shown upright in ImageJ land in the same stored order as that CT read from DICOM or from a
 * dcm2niix NIfTI (whose j also runs upward), so the seed's {@code np.rot90} preprocessing shows the
 * model the same picture; {@link #writeVolume} flips back, so volume → TIFF → volume is lossless.
 * A TIFF carries no patient orientation: the volume's affine is its spacing only.
 */
public final class TiffCodec {

	/** Compression for writing. */
	public enum Compression {
		/** No compression (largest file, fastest). */
		NONE,
		/** zlib Deflate (TIFF code 8), lossless. */
		DEFLATE
	}

	private TiffCodec() {}

	/** Reads every page of {@code file}; see {@link #read(Path, ProgressListener, Cancellation)}. */
	public static TiffImage read(final Path file) {
		return read(file, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Reads every full-resolution page of {@code file} as one z slice (reduced-resolution pages and
	 * thumbnails are skipped).
	 *
	 * @throws InvalidInputException naming the file when it is not a readable TIFF: unsupported
	 *             compression, photometric interpretation or bit depth, pages of different formats,
	 *             truncated or corrupt data, or more pixels than the Java heap can hold (refused
	 *             before allocating)
	 */
	public static TiffImage read(final Path file, final ProgressListener progress, final Cancellation cancel) {
		if (!Files.isRegularFile(file)) throw new InvalidInputException("TIFF file " + file + " does not exist or is not a file");
		return TiffReader.read(file, progress, cancel);
	}

	/** Reads a grey stack as a volume; see {@link #readVolume(Path, ProgressListener, Cancellation)}. */
	public static Volume readVolume(final Path file) {
		return readVolume(file, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Reads a grey TIFF stack as a volume: i = column, j = row counted from the bottom, k = page;
	 * values in the stored type with ImageJ's calibration (if any) as the scaling; spacing from the
	 * resolution and ImageJ's unit and z spacing (1 mm where the file has no unit).
	 *
	 * @throws InvalidInputException also when the file is RGB
	 */
	public static Volume readVolume(final Path file, final ProgressListener progress, final Cancellation cancel) {
		final TiffImage image = read(file, progress, cancel);
		if (image.channels() != 1)
			throw new InvalidInputException("TIFF file " + file + " is RGB; a volume needs a grey (single-channel) stack");
		final RandomAccessibleInterval<? extends RealType<?>> raw = Views.invertAxis(Views.hyperSlice(image.pixels(), 2, 0), 1);
		return new Volume(raw, image.slope(), image.intercept(), VolumeGeometry.ofSpacing(image.spacing()));
	}

	/** Writes {@code image}; see {@link #write(Path, TiffImage, Compression, ProgressListener, Cancellation)}. */
	public static void write(final Path file, final TiffImage image, final Compression compression) throws IOException {
		write(file, image, compression, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Writes {@code image} as a little-endian multi-page TIFF, one page per z slice, atomically.
	 * The pixel type decides the samples: {@code UnsignedByteType} → 8-bit (grey or, with 3
	 * channels, RGB), {@code UnsignedShortType} → 16-bit unsigned, {@code ShortType} → 16-bit signed,
	 * {@code FloatType} → 32-bit float.
	 *
	 * @throws IllegalArgumentException for any other pixel type, or RGB that is not 8-bit
	 * @throws IOException when the file cannot be written (nothing is left behind)
	 */
	public static void write(final Path file, final TiffImage image, final Compression compression, final ProgressListener progress,
			final Cancellation cancel) throws IOException {
		TiffWriter.write(file, image, compression == Compression.DEFLATE, progress, cancel);
	}

	/** Writes {@code volume}; see {@link #writeVolume(Path, Volume, Compression, ProgressListener, Cancellation)}. */
	public static void writeVolume(final Path file, final Volume volume, final Compression compression) throws IOException {
		writeVolume(file, volume, compression, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Writes the scaled values of {@code volume} as a grey TIFF stack (rows flipped back so the top
	 * row is j = J − 1), with its spacing.
	 *
	 * <p>NB: the values, not the raw samples, are written, so any TIFF reader sees Hounsfield units:
	 * unscaled 8-bit, 16-bit or float volumes are written as they are; an integer volume whose
	 * values (slope 1, integer intercept) fit int16 as 16-bit signed; anything else as 32-bit float.
	 */
	public static void writeVolume(final Path file, final Volume volume, final Compression compression, final ProgressListener progress,
			final Cancellation cancel) throws IOException {
		final RandomAccessibleInterval<? extends RealType<?>> values = storable(volume);
		final RandomAccessibleInterval<? extends RealType<?>> xycz = Views.permute(Views.addDimension(Views.invertAxis(values, 1), 0, 0), 2, 3);
		write(file, new TiffImage(xycz, volume.geometry().spacing(), 1, 0), compression, progress, cancel);
	}

	/** The volume's values in the narrowest TIFF sample type that holds them exactly. */
	private static RandomAccessibleInterval<? extends RealType<?>> storable(final Volume volume) {
		final RandomAccessibleInterval<? extends RealType<?>> raw = volume.raw();
		final Object type = raw.getType();
		final boolean identity = volume.slope() == 1 && volume.intercept() == 0;
		if (identity && (type instanceof UnsignedByteType || type instanceof UnsignedShortType || type instanceof ShortType || type instanceof FloatType))
			return raw;
		final double b = volume.intercept();
		if (volume.slope() == 1 && b == Math.rint(b) && type instanceof IntegerType) {
			final double[] range = { Double.MAX_VALUE, -Double.MAX_VALUE };
			LoopBuilder.setImages(raw).forEachPixel(v -> {
				final double x = v.getRealDouble();
				if (x < range[0]) range[0] = x;
				if (x > range[1]) range[1] = x;
			});
			if (range[0] + b >= Short.MIN_VALUE && range[1] + b <= Short.MAX_VALUE)
				return Converters.convert2(raw, (in, out) -> out.set((short) (in.getRealDouble() + b)), ShortType::new);
		}
		final double s = volume.slope();
		return Converters.convert2(raw, (in, out) -> out.set((float) (s * in.getRealDouble() + b)), FloatType::new);
	}
}
