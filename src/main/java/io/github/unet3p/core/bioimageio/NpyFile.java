package io.github.unet3p.core.bioimageio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * A float32 C-order array in NumPy's {@code .npy} format 1.0, with exactly the header NumPy writes
 * and JDLL reads: {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 64, 64), }},
 * padded with spaces and a newline to a multiple of 64 bytes.
 *
 * @param shape the dimensions, at least one, each at least 1
 * @param data the values in C order; its length is the product of {@code shape}
 */
public record NpyFile(long[] shape, float[] data) {

	/** The magic string of every {@code .npy} file. */
	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
	/** The header {@link #read} accepts: the one {@link #bytes} writes (JDLL's pattern, anchored). */
	static final Pattern HEADER = Pattern.compile("\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(([0-9]+(?:, [0-9]+)*),?\\), \\} *\n");

	/** Checks the shape and length. */
	public NpyFile {
		if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) throw new IllegalArgumentException("shape " + Arrays.toString(shape));
		if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != data.length)
			throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
	}

	/** The header dictionary, without padding: NumPy's own text for a little-endian float32 C-order array. */
	public String header() {
		final String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
		return "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
	}

	/** The file's bytes. */
	public byte[] bytes() {
		final StringBuilder h = new StringBuilder(header());
		while ((MAGIC.length + 4 + h.length() + 1) % 64 != 0)
			h.append(' ');
		h.append('\n');
		final byte[] text = h.toString().getBytes(StandardCharsets.US_ASCII);
		final ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
		b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
		b.asFloatBuffer().put(data);
		return b.array();
	}

	/**
	 * Reads a file written by {@link #bytes} (or by NumPy for a float32 C-order array).
	 *
	 * @throws InvalidInputException naming {@code name} when it is no {@code .npy} 1.0 file, its
	 *             header is not the one JDLL reads, or its length does not fit the shape
	 */
	public static NpyFile read(final byte[] bytes, final String name) {
		if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC) || bytes[6] != 1 || bytes[7] != 0)
			throw new InvalidInputException(name + " is not a NumPy .npy file of format 1.0.");
		final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		final int length = Short.toUnsignedInt(b.getShort(8));
		if (10 + length > bytes.length) throw new InvalidInputException(name + " is truncated inside its header.");
		final String header = new String(bytes, 10, length, StandardCharsets.US_ASCII);
		final Matcher m = HEADER.matcher(header);
		if (!m.matches()) throw new InvalidInputException(name + " has the header " + header.trim() + "; expected {'descr': '<f4', 'fortran_order': False, 'shape': (...), }.");
		if ((10 + length) % 64 != 0) throw new InvalidInputException(name + ": header is not padded to a multiple of 64 bytes.");
		final long[] shape = Arrays.stream(m.group(1).split(", ")).mapToLong(Long::parseLong).toArray();
		final long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
		if (bytes.length - 10 - length != 4 * count)
			throw new InvalidInputException(name + " holds " + (bytes.length - 10 - length) + " data bytes; its shape " + Arrays.toString(shape) + " needs " + 4 * count + ".");
		final float[] data = new float[(int) count];
		b.position(10 + length);
		b.asFloatBuffer().get(data);
		return new NpyFile(shape, data);
	}
}
