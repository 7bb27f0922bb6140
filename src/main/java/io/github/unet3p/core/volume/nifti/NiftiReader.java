package io.github.unet3p.core.volume.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgFactory;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;

/**
 * Reads single-file NIfTI-1 images ({@code .nii}, {@code .nii.gz}) into {@link Volume}s.
 *
 * <p>Compression is recognised by the gzip magic bytes, byte order by {@code sizeof_hdr}. The
 * voxels keep their stored type in a {@link PlanarImg} (one array per k slice) and are streamed
 * from the file slice by slice; {@code scl_slope}/{@code scl_inter} become the volume's scaling
 * exactly as nibabel applies them (a slope of 0 or not finite means none). Everything that can be
 * checked before allocating is checked first: a bad or absurd file ends in an
 * {@link InvalidInputException} naming it, never in an {@link OutOfMemoryError}.
 *
 * <p>NB: as in nibabel, {@code bitpix} is not trusted: the datatype code alone decides the voxel
 * size. Extensions are skipped, and only the first volume of the file is read, so 4-D files are
 * accepted only when every dimension after the third has size 1.
 */
public final class NiftiReader {

	private static final int CHUNK = 1 << 20;
	private static final int BUFFER = 1 << 16;

	private NiftiReader() {}

	/**
	 * Reads a NIfTI-1 file.
	 *
	 * @throws InvalidInputException if the file is missing, unreadable, not a NIfTI-1 image this
	 *             tool supports, truncated, or too large for the JVM's free memory
	 */
	public static NiftiImage read(final Path file) {
		return read(file, ProgressListener.NONE, Cancellation.none());
	}

	/**
	 * Reads a NIfTI-1 file, reporting progress per k slice and stopping between slices when
	 * cancelled.
	 *
	 * @throws InvalidInputException see {@link #read(Path)}
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled
	 */
	public static NiftiImage read(final Path file, final ProgressListener progress, final Cancellation cancel) {
		final String name = checkFile(file);
		try (Source src = open(file, name)) {
			final NiftiHeader header = readHeader(src, name);
			final long[] dims = header.volumeDimensions();
			final NiftiDatatype type = header.datatype();
			final long dataBytes = checkSize(header, name);
			final long offset = dataOffset(header, name);
			if (!src.gzip) {
				final long found = Math.max(0, src.fileSize - offset);
				if (found < dataBytes) throw truncated(name, dataBytes, found);
			}
			src.skipTo(offset, dataBytes);
			final PlanarImg<?, ?> img = allocate(type, dims);
			fill(img, type, header.byteOrder(), src, name, dataBytes, progress, cancel);
			if (src.gzip) src.verifyGzipEnd();
			@SuppressWarnings("unchecked")
			final PlanarImg<? extends RealType<?>, ?> raw = (PlanarImg<? extends RealType<?>, ?>) img;
			final Volume volume = new Volume(raw, header.slope(), header.intercept(), header.geometry());
			return new NiftiImage(header, volume);
		}
		catch (final IOException e) {
			throw ioFailure(name, e);
		}
	}

	/**
	 * Reads and checks only the header of a NIfTI-1 file (the same checks as {@link #read(Path)}
	 * except the data length and the memory needed).
	 *
	 * @throws InvalidInputException if the file is missing, unreadable or its header is not one
	 *             this tool can read
	 */
	public static NiftiHeader readHeader(final Path file) {
		final String name = checkFile(file);
		try (Source src = open(file, name)) {
			return readHeader(src, name);
		}
		catch (final IOException e) {
			throw ioFailure(name, e);
		}
	}

	// ---- steps ---------------------------------------------------------------------------------

	private static String checkFile(final Path file) {
		final String name = file.toString();
		if (Files.isDirectory(file)) throw new InvalidInputException(name + " is a folder, not a NIfTI file");
		if (!Files.exists(file)) throw new InvalidInputException(name + " does not exist");
		final String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if (lower.endsWith(".hdr") || lower.endsWith(".img") || lower.endsWith(".hdr.gz") || lower.endsWith(".img.gz"))
			throw new InvalidInputException(name + ": NIfTI/Analyze .hdr/.img pairs are not supported;"
					+ " convert the pair to a single-file .nii or .nii.gz");
		return name;
	}

	private static NiftiHeader readHeader(final Source src, final String name) throws IOException {
		if (src.fileSize == 0) throw new InvalidInputException(name + " is empty (0 bytes); expected a NIfTI-1 file");
		final byte[] bytes = new byte[NiftiHeader.SIZE];
		final int n = src.readFully(bytes, 0, bytes.length);
		if (n < NiftiHeader.SIZE) {
			if (n >= 4) NiftiHeaderParser.byteOrderOf(bytes, name); // "not NIfTI" beats "truncated"
			throw new InvalidInputException(name + " is truncated: the NIfTI-1 header needs 348 bytes, the file"
					+ (src.gzip ? " decompresses to " : " has ") + n);
		}
		final NiftiHeader header = NiftiHeaderParser.parse(bytes, name);
		NiftiHeaderCheck.validate(header, name);
		dataOffset(header, name);
		return header;
	}

	/** Bytes of voxel data; refuses sizes the JVM cannot hold before anything is allocated. */
	private static long checkSize(final NiftiHeader header, final String name) {
		final long[] d = header.volumeDimensions();
		final long bytes;
		try {
			bytes = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(d[0], d[1]), d[2]), header.datatype().bytesPerVoxel());
		}
		catch (final ArithmeticException e) {
			throw new InvalidInputException(name + " declares " + d[0] + "×" + d[1] + "×" + d[2] + " voxels, too many to address");
		}
		final Runtime rt = Runtime.getRuntime();
		final long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		if (bytes > available)
			throw new InvalidInputException(name + " needs " + mib(bytes) + " for its " + d[0] + "×" + d[1] + "×" + d[2] + " "
					+ header.datatype() + " voxels, but the JVM has only " + mib(available) + " free (maximum heap " + mib(rt.maxMemory())
					+ "); start Java/Fiji with a larger -Xmx (Fiji: Edit › Options › Memory & Threads)");
		return bytes;
	}

	/**
	 * Where the voxels start.
	 *
	 * <p>NB: a {@code vox_offset} of 0 is read as 352 (the minimum for a single file), as nibabel
	 * does; one between 1 and 351 would point inside the header and is refused.
	 */
	private static long dataOffset(final NiftiHeader header, final String name) {
		final double v = header.voxOffset();
		if (v == 0) return NiftiHeader.DATA_OFFSET;
		if (!Double.isFinite(v) || v < NiftiHeader.DATA_OFFSET)
			throw new InvalidInputException(name + " has vox_offset " + v + "; the voxels of a .nii file start at byte 352 or later");
		return (long) v;
	}

	private static PlanarImg<?, ?> allocate(final NiftiDatatype type, final long[] dims) {
		return newImg(type.newType(), dims);
	}

	private static <T extends NativeType<T>> PlanarImg<T, ?> newImg(final NativeType<?> type, final long[] dims) {
		@SuppressWarnings("unchecked")
		final T t = (T) type;
		return new PlanarImgFactory<>(t).create(dims);
	}

	private static void fill(final PlanarImg<?, ?> img, final NiftiDatatype type, final ByteOrder order, final Source src,
			final String name, final long dataBytes, final ProgressListener progress, final Cancellation cancel) throws IOException {
		final int bpv = type.bytesPerVoxel();
		final byte[] chunk = new byte[CHUNK];
		final int slices = img.numSlices();
		long done = 0;
		for (int k = 0; k < slices; k++) {
			cancel.check("Reading " + name);
			final Object array = ((ArrayDataAccess<?>) img.getPlane(k)).getCurrentStorageArray();
			final long planeVoxels = (long) img.dimension(0) * img.dimension(1);
			long at = 0;
			while (at < planeVoxels) {
				final int count = (int) Math.min(CHUNK / bpv, planeVoxels - at);
				final int want = count * bpv;
				final int got = src.readFully(chunk, 0, want);
				if (got < want) throw truncated(name, dataBytes, done + got);
				decode(chunk, want, order, type, array, (int) at);
				at += count;
				done += want;
			}
			progress.progress("Reading " + name, k + 1, slices);
		}
	}

	/** Copies {@code n} bytes of {@code chunk} into {@code array} from element {@code at}. */
	private static void decode(final byte[] chunk, final int n, final ByteOrder order, final NiftiDatatype type,
			final Object array, final int at) {
		final ByteBuffer b = ByteBuffer.wrap(chunk, 0, n).order(order);
		switch (type) {
			case UINT8:
			case INT8:
				System.arraycopy(chunk, 0, array, at, n);
				break;
			case INT16:
			case UINT16:
				b.asShortBuffer().get((short[]) array, at, n / 2);
				break;
			case INT32:
			case UINT32:
				b.asIntBuffer().get((int[]) array, at, n / 4);
				break;
			case INT64:
			case UINT64:
				b.asLongBuffer().get((long[]) array, at, n / 8);
				break;
			case FLOAT32:
				b.asFloatBuffer().get((float[]) array, at, n / 4);
				break;
			case FLOAT64:
				b.asDoubleBuffer().get((double[]) array, at, n / 8);
				break;
			default:
				throw new IllegalStateException("no decoder for " + type);
		}
	}

	private static InvalidInputException truncated(final String name, final long expected, final long found) {
		return new InvalidInputException(name + " is truncated: its header declares " + expected + " bytes of voxel data, but only "
				+ found + " follow the header" + " (incomplete download or copy?)");
	}

	private static InvalidInputException ioFailure(final String name, final IOException e) {
		if (e instanceof NoSuchFileException) return new InvalidInputException(name + " does not exist", e);
		if (e instanceof AccessDeniedException) return new InvalidInputException(name + " cannot be read: permission denied", e);
		return new InvalidInputException(name + " cannot be read: " + e.getMessage(), e);
	}

	private static String mib(final long bytes) {
		if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
		return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
	}

	// ---- the byte source -----------------------------------------------------------------------

	private static Source open(final Path file, final String name) throws IOException {
		final long size = Files.size(file);
		final BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
		try {
			in.mark(2);
			final int b0 = in.read(), b1 = in.read();
			in.reset();
			if (b0 == 0x1f && b1 == 0x8b) {
				try {
					return new Source(new GZIPInputStream(in, BUFFER), true, size, name);
				}
				catch (final EOFException | ZipException e) {
					throw new InvalidInputException(name + " is not a valid gzip file (" + e.getMessage() + ")", e);
				}
			}
			return new Source(in, false, size, name);
		}
		catch (final IOException | RuntimeException e) {
			in.close();
			throw e;
		}
	}

	/** The decompressed byte stream of the file, with position tracking and gzip error mapping. */
	private static final class Source implements AutoCloseable {

		final InputStream in;
		final boolean gzip;
		final long fileSize;
		final String name;
		long position;

		Source(final InputStream in, final boolean gzip, final long fileSize, final String name) {
			this.in = in;
			this.gzip = gzip;
			this.fileSize = fileSize;
			this.name = name;
		}

		/** Reads up to {@code n} bytes, fewer only at the end of the data. */
		int readFully(final byte[] b, final int off, final int n) throws IOException {
			int total = 0;
			try {
				while (total < n) {
					final int r = in.read(b, off + total, n - total);
					if (r < 0) break;
					total += r;
				}
			}
			catch (final EOFException e) {
				// a gzip stream cut short ends here: report what arrived as truncation
			}
			catch (final ZipException e) {
				throw corrupt(e);
			}
			position += total;
			return total;
		}

		/** Skips the extensions up to {@code offset}, reporting truncation against {@code dataBytes}. */
		void skipTo(final long offset, final long dataBytes) throws IOException {
			final byte[] skip = new byte[8192];
			while (position < offset) {
				final int n = readFully(skip, 0, (int) Math.min(skip.length, offset - position));
				if (n == 0) throw truncated(name, dataBytes, 0);
			}
		}

		/** Reads on to the gzip trailer so that a CRC or length mismatch is reported. */
		void verifyGzipEnd() throws IOException {
			try {
				in.read();
			}
			catch (final EOFException e) {
				throw new InvalidInputException(name + " is a truncated gzip file: its voxel data is complete, but the gzip trailer is missing", e);
			}
			catch (final ZipException e) {
				throw corrupt(e);
			}
		}

		private InvalidInputException corrupt(final ZipException e) {
			return new InvalidInputException(name + " is a corrupt gzip file (" + e.getMessage() + " after " + position
					+ " decompressed bytes); re-download or re-compress it", e);
		}

		@Override
		public void close() throws IOException {
			in.close();
		}
	}
}
