package io.github.unet3p.testsupport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array as written by {@code numpy.save}: C order, little-endian float32
 * ({@code <f4}) or uint8 ({@code |u1}), read as floats.
 *
 * @param shape the dimensions
 * @param values the values in C order (uint8 as 0…255)
 */
public record Npy(int[] shape, float[] values) {

	private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
	private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
	private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

	/** Reads {@code file}; fails on any other dtype or on Fortran order. */
	public static Npy read(final Path file) throws IOException {
		final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		if (b.get() != (byte) 0x93 || b.get() != 'N' || b.get() != 'U' || b.get() != 'M' || b.get() != 'P' || b.get() != 'Y')
			throw new IOException(file + ": not a .npy file");
		final int major = b.get();
		b.get();
		final int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
		final byte[] h = new byte[headerLength];
		b.get(h);
		final String header = new String(h, StandardCharsets.ISO_8859_1);
		final String descr = group(DESCR, header, file);
		if (group(ORDER, header, file).equals("True")) throw new IOException(file + ": Fortran order");
		final String[] dims = group(SHAPE, header, file).split(",");
		int n = 0;
		for (final String d : dims)
			if (!d.isBlank()) n++;
		final int[] shape = new int[n];
		long count = 1;
		int i = 0;
		for (final String d : dims)
			if (!d.isBlank()) count *= shape[i++] = Integer.parseInt(d.trim());
		final float[] values = new float[Math.toIntExact(count)];
		switch (descr) {
			case "<f4" -> b.asFloatBuffer().get(values);
			case "|u1" -> {
				for (int k = 0; k < values.length; k++)
					values[k] = Byte.toUnsignedInt(b.get());
			}
			default -> throw new IOException(file + ": dtype " + descr + " is not read here");
		}
		return new Npy(shape, values);
	}

	private static String group(final Pattern p, final String header, final Path file) throws IOException {
		final Matcher m = p.matcher(header);
		if (!m.find()) throw new IOException(file + ": .npy header without " + p.pattern());
		return m.group(1);
	}
}
