package io.github.unet3p.core.bioimageio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.unet3p.core.util.InvalidInputException;

/** {@link NpyFile}: NumPy's own bytes for a small array, JDLL's header pattern, and what reading refuses. */
class NpyFileTest {

	@Test
	void writesNumpysBytes() {
		final byte[] b = new NpyFile(new long[] { 1, 2 }, new float[] { 1f, -2.5f }).bytes();
		// np.save of np.array([[1, -2.5]], dtype='<f4'): magic, version 1.0, header length 118, header, data
		assertEquals(128 + 8, b.length);
		assertEquals(118, (b[8] & 0xff) | (b[9] & 0xff) << 8);
		final String header = new String(b, 10, 118, StandardCharsets.US_ASCII);
		assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }" + " ".repeat(58) + "\n", header);
		assertArrayEquals(new byte[] { 0, 0, (byte) 0x80, 0x3f, 0, 0, 0x20, (byte) 0xc0 }, java.util.Arrays.copyOfRange(b, 128, 136));
		assertTrue(TensorAxes.JDLL_HEADER.matcher(header).find());
	}

	@Test
	void readsWhatItWrites() {
		final NpyFile a = new NpyFile(new long[] { 2, 3, 1 }, new float[] { 0, 1, 2, 3, 4, 5 });
		final NpyFile b = NpyFile.read(a.bytes(), "a.npy");
		assertArrayEquals(a.shape(), b.shape());
		assertArrayEquals(a.data(), b.data());
		assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (7,), }", new NpyFile(new long[] { 7 }, new float[7]).header());
	}

	@Test
	void refusesOtherHeadersAndLengths() {
		final byte[] good = new NpyFile(new long[] { 1, 4 }, new float[4]).bytes();
		final byte[] fortran = good.clone();
		System.arraycopy("True, ".getBytes(StandardCharsets.US_ASCII), 0, fortran, 10 + "{'descr': '<f4', 'fortran_order': ".length(), 6);
		assertThrows(InvalidInputException.class, () -> NpyFile.read(fortran, "f.npy"));
		assertThrows(InvalidInputException.class, () -> NpyFile.read(java.util.Arrays.copyOf(good, good.length - 4), "short.npy"));
		assertThrows(InvalidInputException.class, () -> NpyFile.read("not numpy".getBytes(StandardCharsets.US_ASCII), "text.npy"));
	}
}
