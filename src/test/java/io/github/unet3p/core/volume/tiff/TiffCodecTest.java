package io.github.unet3p.core.volume.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.unet3p.core.util.InvalidInputException;
import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class TiffCodecTest {

	@TempDir
	Path dir;

	// ---- round trips ------------------------------------------------------------------------

	static Stream<Arguments> roundTrips() {
		final List<Arguments> out = new ArrayList<>();
		final List<Supplier<Img<? extends RealType<?>>>> kinds = List.of(
				() -> ArrayImgs.unsignedBytes(301, 250, 1, 3),
				() -> ArrayImgs.unsignedShorts(301, 120, 1, 3),
				() -> ArrayImgs.shorts(37, 23, 1, 1),
				() -> ArrayImgs.floats(150, 130, 1, 2),
				() -> ArrayImgs.unsignedBytes(41, 17, 3, 2));
		final String[] names = { "8-bit 3 pages, several strips", "16-bit unsigned, several strips", "16-bit signed, 1 page", "float",
				"8-bit RGB" };
		for (int k = 0; k < kinds.size(); k++)
			for (final TiffCodec.Compression c : TiffCodec.Compression.values())
				out.add(Arguments.of(names[k], kinds.get(k), c));
		return out.stream();
	}

	@ParameterizedTest(name = "{0}, {2}")
	@MethodSource("roundTrips")
	void writeThenReadGivesTheSamePixelsTypeAndSpacing(final String name, final Supplier<Img<? extends RealType<?>>> make,
			final TiffCodec.Compression compression) throws IOException {
		final Img<? extends RealType<?>> img = make.get();
		fillRandom(img, new Random(42));
		final Path f = dir.resolve("rt.tif");
		TiffCodec.write(f, new TiffImage(img, new double[] { 0.7, 0.8, 2.5 }, 1, 0), compression);
		final TiffImage back = TiffCodec.read(f);
		assertEquals(img.firstElement().getClass(), back.pixels().getType().getClass(), "sample type");
		assertArrayEquals(img.dimensionsAsLongArray(), back.pixels().dimensionsAsLongArray());
		assertSamePixels(img, back.pixels());
		assertArrayEquals(new double[] { 0.7, 0.8, 2.5 }, back.spacing(), 1e-6);
		assertEquals(1, back.slope());
		assertEquals(0, back.intercept());
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of(f), files.toList(), "no temporary file left behind");
		}
	}

	@Test
	void deflateMakesRedundantDataSmaller() throws IOException {
		final Img<UnsignedShortType> img = ArrayImgs.unsignedShorts(200, 200, 1, 2);
		int n = 0;
		for (final UnsignedShortType t : img)
			t.set((n++ / 50) % 7);
		TiffCodec.write(dir.resolve("raw.tif"), TiffImage.of(img, 1, 1, 1), TiffCodec.Compression.NONE);
		TiffCodec.write(dir.resolve("zip.tif"), TiffImage.of(img, 1, 1, 1), TiffCodec.Compression.DEFLATE);
		assertTrue(Files.size(dir.resolve("zip.tif")) * 10 < Files.size(dir.resolve("raw.tif")));
	}

	@Test
	void calibrationIsWrittenAndReadBack() throws IOException {
		final Img<UnsignedShortType> img = ArrayImgs.unsignedShorts(new short[] { 0, 1000, 2000, (short) 40000 }, 2, 2, 1, 1);
		TiffCodec.write(dir.resolve("cal.tif"), new TiffImage(img, new double[] { 1, 1, 1 }, 0.5, -1024), TiffCodec.Compression.NONE);
		final TiffImage back = TiffCodec.read(dir.resolve("cal.tif"));
		assertEquals(0.5, back.slope());
		assertEquals(-1024, back.intercept());
	}

	@Test
	void volumeRoundTripKeepsValuesAndFlipsRowsSoTheTopRowIsTheLastJ() throws IOException {
		final Img<ShortType> raw = ArrayImgs.shorts(4, 3, 2);
		int n = 0;
		for (final ShortType t : raw)
			t.set((short) (n++ * 10));
		final Volume v = new Volume(raw, 1, -1024, VolumeGeometry.ofSpacing(0.6, 0.7, 3));
		final Path f = dir.resolve("vol.tif");
		TiffCodec.writeVolume(f, v, TiffCodec.Compression.DEFLATE);
		final TiffImage image = TiffCodec.read(f);
		assertInstanceOf(ShortType.class, image.pixels().getType(), "HU that fit int16 are written as int16");
		final RandomAccess<? extends RealType<?>> top = image.pixels().randomAccess();
		// TIFF row 0 (top) holds j = J − 1
		assertEquals(v.values().randomAccess().setPositionAndGet(2, 2, 1).getRealDouble(), top.setPositionAndGet(2, 0, 0, 1).getRealDouble());
		final Volume back = TiffCodec.readVolume(f);
		assertArrayEquals(v.dimensions(), back.dimensions());
		assertSamePixels(v.values(), back.values());
		assertArrayEquals(new double[] { 0.6, 0.7, 3 }, back.geometry().spacing(), 1e-6);
	}

	@Test
	void volumeWithFractionalSlopeIsWrittenAsFloat() throws IOException {
		final Img<ShortType> raw = ArrayImgs.shorts(new short[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 2, 2);
		final Volume v = new Volume(raw, 0.25, 3, VolumeGeometry.ofSpacing(1, 1, 1));
		TiffCodec.writeVolume(dir.resolve("f.tif"), v, TiffCodec.Compression.NONE);
		final Volume back = TiffCodec.readVolume(dir.resolve("f.tif"));
		assertInstanceOf(FloatType.class, back.raw().getType());
		assertSamePixels(v.values(), back.values());
	}

	@Test
	void readVolumeRefusesRgb() throws IOException {
		TiffCodec.write(dir.resolve("rgb.tif"), TiffImage.of(ArrayImgs.unsignedBytes(2, 2, 3, 1), 1, 1, 1), TiffCodec.Compression.NONE);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TiffCodec.readVolume(dir.resolve("rgb.tif")));
		assertTrue(e.getMessage().contains("RGB") && e.getMessage().contains("rgb.tif"), e.getMessage());
	}

	@Test
	void writerRefusesPixelTypesTiffCannotHold() {
		assertThrows(IllegalArgumentException.class,
				() -> TiffCodec.write(dir.resolve("d.tif"), TiffImage.of(ArrayImgs.doubles(2, 2, 1, 1), 1, 1, 1), TiffCodec.Compression.NONE));
		assertFalse(Files.exists(dir.resolve("d.tif")));
	}

	// ---- hand-built files -------------------------------------------------------------------

	/** 3×2, 2 pages, big endian, uncompressed 16-bit unsigned; one strip per row. */
	@Test
	void readsBigEndian16Bit() throws IOException {
		final TinyTiff t = new TinyTiff(ByteOrder.BIG_ENDIAN);
		for (int p = 0; p < 2; p++)
			t.page(false).grey(3, 2, 16, 1, 1).tag(278, 1)
					.chunk(t.samples16(1 + p, 258 + p, 65535 - p))
					.chunk(t.samples16(4, 5, 6));
		final TiffImage image = read(t);
		assertInstanceOf(UnsignedShortType.class, image.pixels().getType());
		assertEquals(List.of(1.0, 258.0, 65535.0, 4.0, 5.0, 6.0, 2.0, 259.0, 65534.0, 4.0, 5.0, 6.0), values(image.pixels()));
	}

	@Test
	void readsBigEndianFloatAndSigned() throws IOException {
		final TinyTiff t = new TinyTiff(ByteOrder.BIG_ENDIAN);
		t.page(false).grey(2, 1, 16, 2, 1).chunk(t.samples16(-1024, 3071));
		assertEquals(List.of(-1024.0, 3071.0), values(read(t).pixels()));
		final TinyTiff f = new TinyTiff(ByteOrder.BIG_ENDIAN);
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(-1.5f).putFloat(1e30f);
		f.page(false).grey(2, 1, 32, 3, 1).chunk(b.array());
		assertEquals(List.of(-1.5, (double) 1e30f), values(read(f).pixels()));
	}

	/** PackBits by hand: −3,5 repeats 5 four times; 2,1,2,3 copies three literals; −128 is skipped. */
	@Test
	void readsPackBits() throws IOException {
		final TinyTiff t = new TinyTiff(ByteOrder.LITTLE_ENDIAN);
		t.page(false).grey(7, 1, 8, 1, 32773).chunk(new byte[] { -3, 5, -128, 2, 1, 2, 3 });
		assertEquals(List.of(5.0, 5.0, 5.0, 5.0, 1.0, 2.0, 3.0), values(read(t).pixels()));
	}

	/** LZW by hand: "ABABABA" encodes to clear, 65, 66, 258 (AB), 260 (ABA), end, all 9 bits. */
	@Test
	void readsHandEncodedLzw() throws IOException {
		final TestLzw.Bits bits = new TestLzw.Bits();
		for (final int code : new int[] { 256, 65, 66, 258, 260, 257 })
			bits.put(code, 9);
		final TinyTiff t = new TinyTiff(ByteOrder.LITTLE_ENDIAN);
		t.page(false).grey(7, 1, 8, 1, 5).chunk(bits.bytes());
		assertEquals(List.of(65.0, 66.0, 65.0, 66.0, 65.0, 66.0, 65.0), values(read(t).pixels()));
	}

	/** A long LZW stream (code widths 9 to 12 and table resets), 16-bit big endian with the predictor. */
	@Test
	void readsLongLzwWithPredictorBigEndian() throws IOException {
		final int w = 150, h = 90;
		final Random random = new Random(7);
		final int[] v = new int[w * h];
		for (int n = 0; n < v.length; n++)
			v[n] = 30000 + (n % w) * 3 + random.nextInt(40) - 20000 * (n / w % 2);
		final TinyTiff t = new TinyTiff(ByteOrder.BIG_ENDIAN);
		final int[] diff = new int[v.length];
		for (int n = 0; n < v.length; n++)
			diff[n] = n % w == 0 ? v[n] : v[n] - v[n - 1];
		final byte[] encoded = TestLzw.encode(t.samples16(diff));
		t.page(false).grey(w, h, 16, 1, 5).tag(317, 2).chunk(encoded);
		final List<Double> got = values(read(t).pixels());
		for (int n = 0; n < v.length; n++)
			assertEquals(v[n] & 0xFFFF, got.get(n), 0, "pixel " + n);
		assertTrue(encoded.length > 4096, "stream long enough to pass 12-bit codes and a table reset: " + encoded.length);
	}

	/** 20×18 8-bit in 16×16 tiles (edge tiles padded), Deflate code 32946. */
	@Test
	void readsTiles() throws IOException {
		final int w = 20, h = 18, tw = 16, th = 16;
		final TinyTiff t = new TinyTiff(ByteOrder.LITTLE_ENDIAN);
		final TinyTiff.Page page = t.page(true).grey(w, h, 8, 1, 32946).tag(322, tw).tag(323, th);
		for (int ty = 0; ty < 2; ty++)
			for (int tx = 0; tx < 2; tx++) {
				final byte[] tile = new byte[tw * th];
				for (int y = 0; y < th; y++)
					for (int x = 0; x < tw; x++) {
						final int gx = tx * tw + x, gy = ty * th + y;
						tile[x + tw * y] = (byte) (gx < w && gy < h ? gx + 20 * gy : 255);
					}
				page.chunk(TiffCompression.deflate(tile));
			}
		final RandomAccessibleInterval<? extends RealType<?>> px = read(t).pixels();
		final RandomAccess<? extends RealType<?>> ra = px.randomAccess();
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				assertEquals((x + 20 * y) & 0xFF, ra.setPositionAndGet(x, y, 0, 0).getRealDouble(), "pixel " + x + "," + y);
	}

	@Test
	void readsImageJDescriptionAndResolution() throws IOException {
		final TinyTiff t = new TinyTiff(ByteOrder.LITTLE_ENDIAN);
		for (int p = 0; p < 2; p++)
			t.page(false).grey(1, 1, 8, 1, 1).rational(282, 2, 1).rational(283, 4, 1).ascii(270, "ImageJ=1.54p\nimages=2\nslices=2\nunit=cm\nspacing=0.3\n")
					.chunk(new byte[] { 1 });
		assertArrayEquals(new double[] { 5, 2.5, 3 }, read(t).spacing(), 1e-9);
	}

	// ---- malformed files --------------------------------------------------------------------

	enum Broken {
		NOT_TIFF("not a TIFF"), BIG_TIFF("BigTIFF"), JPEG("JPEG compression (code 7)"), PALETTE("palette"), ONE_BIT("1-bit"),
		TRUNCATED("truncated"), ABSURD("more than the memory"), LOOP("loops"), LZW_GARBAGE("corrupt LZW"), PAGES_DIFFER("mixes page formats");

		final String message;

		Broken(final String message) {
			this.message = message;
		}
	}

	@ParameterizedTest
	@EnumSource(Broken.class)
	void refusesBrokenFilesWithAMessageNamingTheFile(final Broken broken) throws IOException {
		final TinyTiff t = new TinyTiff(ByteOrder.LITTLE_ENDIAN);
		byte[] bytes;
		switch (broken) {
			case NOT_TIFF: bytes = "GIF89a and more bytes".getBytes(); break;
			case BIG_TIFF: bytes = new byte[] { 'I', 'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0 }; break;
			case JPEG: t.page(false).grey(1, 1, 8, 1, 7).chunk(new byte[] { 1 }); bytes = t.bytes(); break;
			case PALETTE: t.page(false).grey(1, 1, 8, 1, 1).tag(262, 3).chunk(new byte[] { 1 }); bytes = t.bytes(); break;
			case ONE_BIT: t.page(false).grey(8, 1, 1, 1, 1).chunk(new byte[] { 1 }); bytes = t.bytes(); break;
			case TRUNCATED: {
				t.page(false).grey(100, 100, 8, 1, 1).chunk(new byte[100 * 100]);
				final byte[] whole = t.bytes();
				bytes = java.util.Arrays.copyOf(whole, whole.length - 10);
				break;
			}
			case ABSURD: {
				for (int p = 0; p < 10; p++)
					t.page(false).grey(46000, 46000, 8, 1, 1).chunk(new byte[] { 1 });
				bytes = t.bytes();
				break;
			}
			case LOOP: {
				t.page(false).grey(1, 1, 8, 1, 1).chunk(new byte[] { 1 }).next(8);
				bytes = t.bytes();
				break;
			}
			case LZW_GARBAGE: {
				final TestLzw.Bits garbage = new TestLzw.Bits();
				for (final int code : new int[] { 256, 65, 300, 257 })
					garbage.put(code, 9);
				t.page(false).grey(4, 4, 8, 1, 5).chunk(garbage.bytes());
				bytes = t.bytes();
				break;
			}
			default: {
				t.page(false).grey(2, 1, 8, 1, 1).chunk(new byte[] { 1, 2 });
				t.page(false).grey(3, 1, 8, 1, 1).chunk(new byte[] { 1, 2, 3 });
				bytes = t.bytes();
			}
		}
		final Path f = dir.resolve("broken.tif");
		Files.write(f, bytes);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TiffCodec.read(f));
		assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(broken.message), e.getMessage());
	}

	// ---- helpers ----------------------------------------------------------------------------

	private TiffImage read(final TinyTiff t) throws IOException {
		final Path f = dir.resolve("hand.tif");
		Files.write(f, t.bytes());
		return TiffCodec.read(f);
	}

	private static List<Double> values(final RandomAccessibleInterval<? extends RealType<?>> img) {
		final List<Double> out = new ArrayList<>();
		for (final RealType<?> v : Views.flatIterable(img))
			out.add(v.getRealDouble());
		return out;
	}

	private static void assertSamePixels(final RandomAccessibleInterval<? extends RealType<?>> a, final RandomAccessibleInterval<? extends RealType<?>> b) {
		assertEquals(values(a), values(b));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void fillRandom(final Img<? extends RealType<?>> img, final Random random) {
		final Cursor<? extends RealType<?>> c = img.cursor();
		final Object t = img.firstElement();
		while (c.hasNext()) {
			final RealType v = c.next();
			if (t instanceof UnsignedByteType) v.setReal(random.nextInt(256));
			else if (t instanceof UnsignedShortType) v.setReal(random.nextInt(65536));
			else if (t instanceof ShortType) v.setReal(random.nextInt(65536) - 32768);
			else v.setReal((float) (random.nextGaussian() * 1000));
		}
	}

}
