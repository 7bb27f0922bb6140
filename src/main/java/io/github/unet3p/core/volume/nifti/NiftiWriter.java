package io.github.unet3p.core.volume.nifti;

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
import io.github.unet3p.core.volume.Volume;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
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

	/**
	 * Writes the voxels slice by slice. Native PlanarImg and ArrayImg volumes of the written type
	 * are encoded straight from their arrays; any other image is first copied slice by slice into
	 * a primitive buffer.
	 */
	private static void writeVoxels(final OutputStream out, final RandomAccessibleInterval<? extends RealType<?>> raw,
			final NiftiDatatype type, final String name, final ProgressListener progress, final Cancellation cancel)
			throws IOException {
		final ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
		final int slices = (int) raw.dimension(2);
		final int sliceVoxels = (int) (raw.dimension(0) * raw.dimension(1));
		final boolean nativeStorage = raw.getType().getClass() == type.typeClass();
		Object buffer = null;
		for (int k = 0; k < slices; k++) {
			cancel.check("Writing " + name);
			if (nativeStorage && raw instanceof PlanarImg) {
				encode(((ArrayDataAccess<?>) ((PlanarImg<?, ?>) raw).getPlane(k)).getCurrentStorageArray(), 0, sliceVoxels, type, chunk, out);
			}
			else if (nativeStorage && raw instanceof ArrayImg) {
				final Object array = ((ArrayDataAccess<?>) ((ArrayImg<?, ?>) raw).update(null)).getCurrentStorageArray();
				encode(array, k * sliceVoxels, sliceVoxels, type, chunk, out);
			}
			else {
				if (buffer == null) buffer = newArray(type, sliceVoxels);
				copySlice(Views.hyperSlice(raw, 2, k), type, buffer);
				encode(buffer, 0, sliceVoxels, type, chunk, out);
			}
			progress.progress("Writing " + name, k + 1, slices);
		}
	}

	private static Object newArray(final NiftiDatatype type, final int n) {
		switch (type) {
			case UINT8: case INT8: return new byte[n];
			case INT16: case UINT16: return new short[n];
			case INT32: case UINT32: return new int[n];
			case INT64: case UINT64: return new long[n];
			case FLOAT32: return new float[n];
			default: return new double[n];
		}
	}

	/** Copies one slice, i fastest, into {@code buffer} as the stored bits of {@code type}. */
	private static void copySlice(final RandomAccessibleInterval<? extends RealType<?>> slice, final NiftiDatatype type,
			final Object buffer) {
		final Cursor<? extends RealType<?>> c = Views.flatIterable(slice).cursor();
		int i = 0;
		switch (type) {
			case UINT8: case INT8: {
				final byte[] b = (byte[]) buffer;
				while (c.hasNext()) b[i++] = (byte) integer(c.next());
				break;
			}
			case INT16: case UINT16: {
				final short[] b = (short[]) buffer;
				while (c.hasNext()) b[i++] = (short) integer(c.next());
				break;
			}
			case INT32: case UINT32: {
				final int[] b = (int[]) buffer;
				while (c.hasNext()) b[i++] = (int) integer(c.next());
				break;
			}
			case INT64: case UINT64: {
				final long[] b = (long[]) buffer;
				while (c.hasNext()) b[i++] = integer(c.next());
				break;
			}
			case FLOAT32: {
				final float[] b = (float[]) buffer;
				while (c.hasNext()) b[i++] = c.next().getRealFloat();
				break;
			}
			default: {
				final double[] b = (double[]) buffer;
				while (c.hasNext()) b[i++] = c.next().getRealDouble();
			}
		}
	}

	/** Writes {@code n} elements of a primitive array from {@code offset}, little-endian. */
	private static void encode(final Object array, final int offset, final int n, final NiftiDatatype type, final ByteBuffer chunk,
			final OutputStream out) throws IOException {
		if (array instanceof byte[]) {
			out.write((byte[]) array, offset, n);
			return;
		}
		final int bpv = type.bytesPerVoxel();
		for (int at = 0; at < n;) {
			final int count = Math.min(CHUNK / bpv, n - at);
			chunk.clear();
			if (array instanceof short[]) chunk.asShortBuffer().put((short[]) array, offset + at, count);
			else if (array instanceof int[]) chunk.asIntBuffer().put((int[]) array, offset + at, count);
			else if (array instanceof long[]) chunk.asLongBuffer().put((long[]) array, offset + at, count);
			else if (array instanceof float[]) chunk.asFloatBuffer().put((float[]) array, offset + at, count);
			else chunk.asDoubleBuffer().put((double[]) array, offset + at, count);
			out.write(chunk.array(), 0, count * bpv);
			at += count;
		}
	}

	private static long integer(final RealType<?> t) {
		return t instanceof IntegerType ? ((IntegerType<?>) t).getIntegerLong() : (long) t.getRealDouble();
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
