package io.github.unet3p.core.volume.png;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.util.InvalidInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PngCodecTest {

	@TempDir
	Path dir;

	@ParameterizedTest
	@CsvSource({ "1,1,1", "1,1,3", "7,5,1", "7,5,3", "320,320,3", "33,17,1" })
	void writeThenReadGivesTheSameImage(final int w, final int h, final int channels) throws IOException {
		final Random rnd = new Random(w * 31L + h * 7 + channels);
		final byte[] px = new byte[w * h * channels];
		// smooth content with noise, as CT slices are, so every filter gets chosen somewhere
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < channels; c++)
					px[(y * w + x) * channels + c] = (byte) (x * 3 + y * 2 + c * 40 + (rnd.nextInt(5) - 2) + (rnd.nextInt(50) == 0 ? 128 : 0));
		final SliceImage image = new SliceImage(w, h, channels, px);
		final Path file = dir.resolve("sub/a.png");
		PngCodec.write(file, image);
		assertEquals(image, PngCodec.read(file));
		try (Stream<Path> left = Files.list(file.getParent())) {
			assertEquals(1, left.count(), "no temporary file is left beside the PNG");
		}
	}

	/** The 3×2 gray image [[10, 20, 30], [15, 40, 100]], filtered by hand with each PNG filter. */
	@ParameterizedTest(name = "filter {0}")
	@CsvSource({
			"0, '0 10 20 30', '0 15 40 100'",
			"1, '1 10 10 10', '1 15 25 60'",
			"2, '2 10 20 30', '2 5 20 70'",
			"3, '3 10 15 20', '3 10 23 65'",
			"4, '4 10 10 10', '4 5 20 60'" })
	void decodesEachFilterType(final int filter, final String row0, final String row1) {
		final byte[] png = png(3, 2, 8, 0, null, concat(bytes(row0), bytes(row1)));
		final SliceImage img = PngCodec.decode(png, "hand.png");
		assertEquals(1, img.channels());
		assertArrayEquals(new byte[] { 10, 20, 30, 15, 40, 100 }, img.samples(), "filter " + filter);
	}

	@Test
	void decodesRgbWithSubAndAverageAcrossPixelsAndWrapAround() {
		// pixels (10,20,30) (40,50,60) / (1,2,3) (200,100,0); row 0 Sub, row 1 Average, by hand
		final byte[] png = png(2, 2, 8, 2, null, concat(bytes("1 10 20 30 30 30 30"), bytes("3 252 248 244 180 74 225")));
		final SliceImage img = PngCodec.decode(png, "rgb.png");
		assertEquals(3, img.channels());
		assertArrayEquals(new byte[] { 10, 20, 30, 40, 50, 60, 1, 2, 3, (byte) 200, 100, 0 }, img.samples());
	}

	static Stream<Arguments> otherFormats() {
		return Stream.of(
				Arguments.of("gray+alpha drops alpha", png(2, 1, 8, 4, null, bytes("0 7 255 9 0")), 1, new int[] { 7, 9 }),
				Arguments.of("RGBA drops alpha", png(1, 1, 8, 6, null, bytes("0 1 2 3 4")), 3, new int[] { 1, 2, 3 }),
				Arguments.of("1-bit gray scales to 0/255", png(10, 1, 1, 0, null, bytes("0 160 64")), 1, new int[] { 255, 0, 255, 0, 0, 0, 0, 0, 0, 255 }),
				Arguments.of("4-bit gray scales ×17", png(3, 1, 4, 0, null, bytes("0 31 240")), 1, new int[] { 17, 255, 255 }),
				Arguments.of("16-bit gray that fits keeps its values", png(3, 1, 16, 0, null, bytes("0 0 0 0 1 0 2")), 1, new int[] { 0, 1, 2 }),
				Arguments.of("16-bit gray above 255 keeps the high byte", png(2, 1, 16, 0, null, bytes("0 3 232 0 5")), 1, new int[] { 3, 0 }),
				Arguments.of("16-bit RGB", png(1, 1, 16, 2, null, bytes("0 1 0 2 0 255 255")), 3, new int[] { 1, 2, 255 }),
				Arguments.of("2-bit colour palette, indices 0 2 1", png(3, 1, 2, 3, bytes("255 0 0 0 255 0 0 0 255"), bytes("0 36")), 3,
						new int[] { 255, 0, 0, 0, 0, 255, 0, 255, 0 }),
				Arguments.of("gray palette gives gray", png(2, 1, 8, 3, bytes("0 0 0 9 9 9"), bytes("0 1 0")), 1, new int[] { 9, 0 }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("otherFormats")
	void decodesEveryColourTypeAndDepth(final String what, final byte[] png, final int channels, final int[] expected) {
		final SliceImage img = PngCodec.decode(png, what);
		assertEquals(channels, img.channels(), what);
		assertArrayEquals(expected, toInts(img.samples()), what);
	}

	@Test
	void readsPngsWrittenByOpenCvAndPil() throws IOException {
		final int[] g = new int[20];
		for (int p = 0; p < 20; p++)
			g[p] = p * 13 % 256;
		assertArrayEquals(g, toInts(resource("opencv_gray.png").samples()));
		// cv2.imwrite took the array (g, 255−g, 7g) as B, G, R
		final SliceImage bgr = resource("opencv_bgr.png");
		for (int p = 0; p < 20; p++) {
			assertEquals(g[p] * 7 % 256, bgr.get(p % 5, p / 5, 0));
			assertEquals(255 - g[p], bgr.get(p % 5, p / 5, 1));
			assertEquals(g[p], bgr.get(p % 5, p / 5, 2));
		}
		final SliceImage g16 = resource("opencv_gray16.png");
		for (int p = 0; p < 20; p++)
			assertEquals(p * 3000 >> 8, g16.get(p % 5, p / 5, 0));
		final SliceImage palette = resource("pil_palette.png");
		assertEquals(3, palette.channels());
		for (int p = 0; p < 12; p++)
			assertEquals(255, palette.get(p % 4, p / 4, p % 3), "palette entry " + p % 3 + " is a primary colour");
		final SliceImage bits = resource("pil_1bit.png");
		for (int p = 0; p < 12; p++)
			assertEquals(p % 2 * 255, bits.get(p % 4, p / 4, 0));
		assertArrayEquals(new int[] { 10, 20, 30 }, Arrays.copyOf(toInts(resource("pil_rgba.png").samples()), 3));
	}

	@Test
	void refusesWhatIsNotAReadablePng() throws IOException {
		final byte[] good = png(3, 2, 8, 0, null, concat(bytes("0 10 20 30"), bytes("0 15 40 100")));
		assertMessage("not a PNG", "hello world, I am text".getBytes(StandardCharsets.US_ASCII));
		assertMessage("truncated", Arrays.copyOf(good, good.length - 20));
		final byte[] crc = good.clone();
		crc[45] ^= 1; // inside IDAT
		assertMessage("CRC", crc);
		assertMessage("interlaced PNG is not supported", withIhdrByte(good, 12, 1));
		assertMessage("larger than", withIhdrInt(withIhdrInt(good, 0, 100_000), 4, 100_000));
		assertMessage("bit depth 3", withIhdrByte(good, 8, 3));
		assertMessage("filter type 7", png(1, 1, 8, 0, null, bytes("7 0")));
		assertMessage("truncated", png(3, 2, 8, 0, null, bytes("0 1 2 3")));
		final InvalidInputException missing = assertThrows(InvalidInputException.class, () -> PngCodec.read(dir.resolve("none.png")));
		assertTrue(missing.getMessage().contains("none.png"), missing.getMessage());
	}

	@Test
	void encoderWritesFilteredRowsThatOtherDecodersAccept() {
		// NB: readers are strict about the zlib stream and chunk order; check the layout we emit.
		final byte[] png = PngCodec.encode(SliceImage.gray(2, 2, new byte[] { 1, 2, 3, 4 }));
		assertEquals("IHDR", new String(png, 12, 4, StandardCharsets.US_ASCII));
		assertEquals("IEND", new String(png, png.length - 8, 4, StandardCharsets.US_ASCII));
		assertEquals(0, png[8 + 8 + 12], "non-interlaced");
	}

	/** Sub filter by hand: each byte minus the byte one pixel (1 or 3 bytes) to its left. */
	@ParameterizedTest(name = "{0}×{1}, {2} channel(s)")
	@CsvSource({ "3, 2, 1, '10 20 30 15 40 100', '1 10 10 10 1 15 25 60'", "2, 1, 3, '10 20 30 15 40 100', '1 10 20 30 5 20 70'" })
	void encoderSubFiltersEveryRow(final int width, final int height, final int channels, final String pixels, final String scanlines)
			throws Exception {
		final SliceImage image = new SliceImage(width, height, channels, bytes(pixels));
		for (final byte[] png : new byte[][] { PngCodec.encode(image), PngCodec.encode(image, 6) }) {
			final ByteArrayOutputStream idat = new ByteArrayOutputStream();
			for (int at = 8; at < png.length;) {
				final int len = (png[at] & 0xff) << 24 | (png[at + 1] & 0xff) << 16 | (png[at + 2] & 0xff) << 8 | png[at + 3] & 0xff;
				if (new String(png, at + 4, 4, StandardCharsets.US_ASCII).equals("IDAT")) idat.write(png, at + 8, len);
				at += 12 + len;
			}
			final java.util.zip.Inflater inflater = new java.util.zip.Inflater();
			inflater.setInput(idat.toByteArray());
			final byte[] rows = new byte[64];
			final int n = inflater.inflate(rows);
			inflater.end();
			assertArrayEquals(bytes(scanlines), Arrays.copyOf(rows, n));
			assertEquals(image, PngCodec.decode(png, "sub.png"));
		}
	}

	private static void assertMessage(final String expected, final byte[] png) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> PngCodec.decode(png, "bad.png"));
		assertTrue(e.getMessage().contains("bad.png") && e.getMessage().contains(expected), e.getMessage());
	}

	private SliceImage resource(final String name) throws IOException {
		try (InputStream in = getClass().getResourceAsStream(name)) {
			return PngCodec.decode(in.readAllBytes(), name);
		}
	}

	private static byte[] withIhdrByte(final byte[] png, final int field, final int value) {
		final byte[] b = png.clone();
		b[16 + field] = (byte) value;
		fixCrc(b, 8, 13);
		return b;
	}

	private static byte[] withIhdrInt(final byte[] png, final int field, final int value) {
		final byte[] b = png.clone();
		for (int i = 0; i < 4; i++)
			b[16 + field + i] = (byte) (value >>> 24 - 8 * i);
		fixCrc(b, 8, 13);
		return b;
	}

	private static void fixCrc(final byte[] b, final int chunk, final int len) {
		final CRC32 crc = new CRC32();
		crc.update(b, chunk + 4, 4 + len);
		final int v = (int) crc.getValue();
		for (int i = 0; i < 4; i++)
			b[chunk + 8 + len + i] = (byte) (v >>> 24 - 8 * i);
	}

	/** A PNG assembled by hand from already filtered scanlines. */
	static byte[] png(final int w, final int h, final int depth, final int colour, final byte[] plte, final byte[] scanlines) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		chunk(out, "IHDR", concat(int32(w), int32(h), new byte[] { (byte) depth, (byte) colour, 0, 0, 0 }));
		if (plte != null) chunk(out, "PLTE", plte);
		final Deflater d = new Deflater();
		d.setInput(scanlines);
		d.finish();
		final byte[] z = new byte[scanlines.length + 64];
		final int n = d.deflate(z);
		d.end();
		chunk(out, "IDAT", Arrays.copyOf(z, n));
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(final ByteArrayOutputStream out, final String type, final byte[] data) {
		final byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(int32(data.length));
		out.writeBytes(t);
		out.writeBytes(data);
		final CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		out.writeBytes(int32((int) crc.getValue()));
	}

	private static byte[] int32(final int v) {
		return new byte[] { (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v };
	}

	static byte[] bytes(final String values) {
		final String[] parts = values.trim().split("\\s+");
		final byte[] b = new byte[parts.length];
		for (int i = 0; i < parts.length; i++)
			b[i] = (byte) Integer.parseInt(parts[i]);
		return b;
	}

	private static byte[] concat(final byte[]... parts) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (final byte[] p : parts)
			out.writeBytes(p);
		return out.toByteArray();
	}

	private static int[] toInts(final byte[] b) {
		final int[] v = new int[b.length];
		for (int i = 0; i < b.length; i++)
			v[i] = b[i] & 0xff;
		return v;
	}
}
