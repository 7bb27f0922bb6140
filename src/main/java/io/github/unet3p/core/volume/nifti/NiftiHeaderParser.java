package io.github.unet3p.core.volume.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Turns the first 348 bytes of a NIfTI-1 file into a {@link NiftiHeader}: finds the byte order from
 * {@code sizeof_hdr}, checks the magic, and brings every numeric field to little-endian.
 */
final class NiftiHeaderParser {

	/** Numeric fields as (offset, element size, count); everything else is text. */
	private static final int[][] NUMERIC_FIELDS = {
		{ 0, 4, 1 }, { 32, 4, 1 }, { 36, 2, 1 }, { 40, 2, 8 }, { 56, 4, 3 }, { 68, 2, 4 }, { 76, 4, 8 },
		{ 108, 4, 3 }, { 120, 2, 1 }, { 124, 4, 4 }, { 140, 4, 2 }, { 252, 2, 2 }, { 256, 4, 18 } };

	private NiftiHeaderParser() {}

	/**
	 * Parses a header from its first 348 bytes, in either byte order.
	 *
	 * @param bytes at least 348 bytes
	 * @param fileName used in messages
	 * @throws InvalidInputException if {@code sizeof_hdr} is not 348 in either byte order or the
	 *             magic is not {@code "n+1"} (a {@code "ni1"} magic names the unsupported .hdr/.img pair)
	 */
	static NiftiHeader parse(final byte[] bytes, final String fileName) {
		final ByteOrder order = byteOrderOf(bytes, fileName);
		final String magic = new String(bytes, NiftiHeader.OFF_MAGIC, 3, StandardCharsets.ISO_8859_1);
		if ("ni1".equals(magic) && bytes[NiftiHeader.OFF_MAGIC + 3] == 0)
			throw new InvalidInputException(fileName + " is the header of a NIfTI .hdr/.img pair, which is not supported;"
					+ " convert it to a single-file .nii or .nii.gz");
		if (!"n+1".equals(magic) || bytes[NiftiHeader.OFF_MAGIC + 3] != 0)
			throw new InvalidInputException(fileName + " is not a NIfTI-1 file: its magic is \"" + printable(bytes, NiftiHeader.OFF_MAGIC, 4)
					+ "\", expected \"n+1\" (an old Analyze 7.5 file or another format?)");
		final byte[] le = Arrays.copyOf(bytes, NiftiHeader.SIZE);
		if (order == ByteOrder.BIG_ENDIAN) swapNumericFields(le);
		return new NiftiHeader(le, order);
	}

	/**
	 * The byte order in which the first 4 bytes read as {@code sizeof_hdr} = 348.
	 *
	 * @throws InvalidInputException if they read as 348 in neither order (NIfTI-2's 540 is named)
	 */
	static ByteOrder byteOrderOf(final byte[] bytes, final String fileName) {
		final int le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
		final int be = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getInt(0);
		if (le == NiftiHeader.SIZE) return ByteOrder.LITTLE_ENDIAN;
		if (be == NiftiHeader.SIZE) return ByteOrder.BIG_ENDIAN;
		if (le == 540 || be == 540)
			throw new InvalidInputException(fileName + " is a NIfTI-2 file; only NIfTI-1 (.nii, .nii.gz) is supported");
		throw new InvalidInputException(fileName + " is not a NIfTI-1 file: sizeof_hdr is " + le
				+ " (little-endian) / " + be + " (big-endian), expected 348");
	}

	private static String printable(final byte[] b, final int offset, final int length) {
		final StringBuilder sb = new StringBuilder();
		for (int i = offset; i < offset + length; i++) {
			final int c = b[i] & 0xff;
			if (c >= 32 && c < 127) sb.append((char) c);
			else sb.append(String.format("\\x%02x", c));
		}
		return sb.toString();
	}

	/** Reverses the bytes of every numeric field in place (little- ↔ big-endian). */
	static void swapNumericFields(final byte[] b) {
		for (final int[] f : NUMERIC_FIELDS)
			for (int e = 0; e < f[2]; e++) {
				final int start = f[0] + e * f[1];
				for (int i = 0, j = f[1] - 1; i < j; i++, j--) {
					final byte t = b[start + i];
					b[start + i] = b[start + j];
					b[start + j] = t;
				}
			}
	}
}
