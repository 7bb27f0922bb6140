package io.github.unet3p.core.volume;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Writes {@link Volume}s as single-file NIfTI-1 images: {@code .nii}, or gzip-compressed when the
 * name ends in {@code .gz}. Always little-endian, voxels at byte 352 after a zeroed 4-byte
 * extension flag, written atomically (a reader never sees a partial file).
 *
 * <p>The datatype follows the volume's raw ImgLib2 type ({@link NiftiDatatype#forType}); the
 * scaling is the volume's slope and intercept. Reading a written file gives back the same raw
 * values, scaling and (for float32-representable affines) geometry.
 */
public final class NiftiWriter {

	private static final int CHUNK = 1 << 20;

	private NiftiWriter() {}

	/**
	 * Writes {@code volume} with the geometry of {@code template} (qform, sform, pixdim, units and
	 * every other field it has), the volume's sizes, datatype and scaling: the way to save a label
	 * volume over its CT.
	 *
	 * <p>NB: the template's display range (cal_min/cal_max) is kept only when datatype and scaling
	 * are the template's own; otherwise it is cleared, since a CT's window makes no sense for labels.
	 *
	 * @throws InvalidInputException if the file name does not end in .nii or .nii.gz, a size
	 *             exceeds NIfTI-1's 32767, or the file cannot be written
	 */
	public static void write(final Path file, final Volume volume, final NiftiHeader template) {
		write(file, volume, template, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Writes {@code volume} with a fresh header made from its own geometry
	 * ({@link NiftiHeader#create}: sform = affine with code 1, qform from the same affine).
	 *
	 * @throws InvalidInputException see {@link #write(Path, Volume, NiftiHeader)}
	 */
	public static void write(final Path file, final Volume volume) {
		final String name = checkName(file);
		final long[] dims = checkDims(volume, name);
		write(file, volume, NiftiHeader.create(dims, typeOf(volume), volume.geometry()));
	}

	/**
	 * {@link #write(Path, Volume, NiftiHeader)} reporting progress per k slice and stopping between
	 * slices when cancelled (the target is then left as it was).
	 */
	public static void write(final Path file, final Volume volume, final NiftiHeader template, final ProgressListener progress,
			final Cancellation cancel) {
		final String name = checkName(file);
		final long[] dims = checkDims(volume, name);
		final NiftiDatatype type = typeOf(volume);
		NiftiHeader header = template.withDimensions(dims).withDatatype(type).withScaling(volume.slope(), volume.intercept())
				.forSingleFile();
		final boolean sameKind = type.code() == template.datatypeCode() && (float) volume.slope() == (float) template.slope()
				&& (float) volume.intercept() == (float) template.intercept();
		if (!sameKind) header = header.withDisplayRange(0, 0);
		final byte[] head = ByteBuffer.allocate(NiftiHeader.DATA_OFFSET).put(header.bytes()).array();
		final boolean gzip = name.toLowerCase(Locale.ROOT).endsWith(".gz");
		try {
			AtomicFiles.write(file, out -> {
				final OutputStream o = gzip ? new FastGzip(out) : new BufferedOutputStream(out, 1 << 16);
				o.write(head);
				writeVoxels(o, volume.raw(), type, name, progress, cancel);
				o.close();
			});
		}
		catch (final IOException e) {
			throw new InvalidInputException(name + " cannot be written: " + e.getMessage(), e);
		}
	}

	private static NiftiDatatype typeOf(final Volume volume) {
		return NiftiDatatype.forType(volume.raw().getType());
	}

	private static String checkName(final Path file) {
		final String name = file.toString();
		final String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (!lower.endsWith(".nii") && !lower.endsWith(".nii.gz"))
			throw new InvalidInputException(name + ": a NIfTI output file name must end in .nii or .nii.gz");
		return name;
	}

	private static long[] checkDims(final Volume volume, final String name) {
		final long[] dims = volume.dimensions();
		for (final long d : dims)
			if (d > Short.MAX_VALUE)
				throw new InvalidInputException(name + ": a " + dims[0] + "×" + dims[1] + "×" + dims[2]
						+ " volume cannot be stored in NIfTI-1, whose sizes are at most 32767");
		return dims;
	}

	private static void writeVoxels(final OutputStream out, final RandomAccessibleInterval<? extends RealType<?>> raw,
			final NiftiDatatype type, final String name, final ProgressListener progress, final Cancellation cancel)
			throws IOException {
		final ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
		final int slices = (int) raw.dimension(2);
		final int bpv = type.bytesPerVoxel();
		for (int k = 0; k < slices; k++) {
			cancel.check("Writing " + name);
			final Cursor<? extends RealType<?>> c = Views.flatIterable(Views.hyperSlice(raw, 2, k)).cursor();
			while (c.hasNext()) {
				if (chunk.remaining() < bpv) flush(chunk, out);
				put(chunk, c.next(), type);
			}
			progress.progress("Writing " + name, k + 1, slices);
		}
		flush(chunk, out);
	}

	private static void put(final ByteBuffer b, final RealType<?> t, final NiftiDatatype type) {
		switch (type) {
			case UINT8:
			case INT8:
				b.put((byte) integer(t));
				break;
			case INT16:
			case UINT16:
				b.putShort((short) integer(t));
				break;
			case INT32:
			case UINT32:
				b.putInt((int) integer(t));
				break;
			case INT64:
			case UINT64:
				b.putLong(integer(t));
				break;
			case FLOAT32:
				b.putFloat(t.getRealFloat());
				break;
			default:
				b.putDouble(t.getRealDouble());
		}
	}

	private static long integer(final RealType<?> t) {
		return t instanceof IntegerType ? ((IntegerType<?>) t).getIntegerLong() : (long) t.getRealDouble();
	}

	private static void flush(final ByteBuffer chunk, final OutputStream out) throws IOException {
		out.write(chunk.array(), 0, chunk.position());
		chunk.clear();
	}

	/**
	 * gzip at compression level 1.
	 *
	 * <p>NB: level 1 is nibabel's default too; higher levels cost several times the time for a few
	 * percent on CT data.
	 */
	private static final class FastGzip extends GZIPOutputStream {

		FastGzip(final OutputStream out) throws IOException {
			super(new BufferedOutputStream(out, 1 << 16), 1 << 16);
			def.setLevel(Deflater.BEST_SPEED);
		}
	}
}
