package io.github.unet3p.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.ImageReader;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.unet3p.core.volume.tiff.TestLzw;
import io.github.unet3p.core.volume.tiff.TiffCodec;
import io.github.unet3p.core.volume.tiff.TiffImage;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;

/** Files our TIFF codec writes open in ImageJ 1.x with the same values and calibration, and back. */
class TiffImageJInteropTest {

	private static final int W = 13, H = 7, Z = 3;

	@TempDir
	Path dir;

	enum Kind {
		GREY8, GREY16, FLOAT, RGB
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void imageJOpensWhatWeWrite(final Kind kind) throws IOException {
		for (final TiffCodec.Compression compression : TiffCodec.Compression.values()) {
			final Img<? extends RealType<?>> img = switch (kind) {
				case GREY8 -> ArrayImgs.unsignedBytes(W, H, 1, Z);
				case GREY16 -> ArrayImgs.unsignedShorts(W, H, 1, Z);
				case FLOAT -> ArrayImgs.floats(W, H, 1, Z);
				case RGB -> ArrayImgs.unsignedBytes(W, H, 3, Z);
			};
			final Random random = new Random(3);
			for (final RealType<?> t : img)
				t.setReal(kind == Kind.FLOAT ? random.nextGaussian() * 100 : random.nextInt(kind == Kind.GREY16 ? 65536 : 256));
			final Path f = dir.resolve(kind + "-" + compression + ".tif");
			TiffCodec.write(f, TiffImage.of(img, 0.5, 0.75, 2.5), compression);

			final ImagePlus imp = new Opener().openImage(f.toString());
			assertNotNull(imp, "ImageJ opens " + f);
			assertEquals(W, imp.getWidth());
			assertEquals(H, imp.getHeight());
			assertEquals(Z, imp.getStackSize());
			assertEquals(kind == Kind.RGB ? ImagePlus.COLOR_RGB : kind == Kind.FLOAT ? ImagePlus.GRAY32 : kind == Kind.GREY16 ? ImagePlus.GRAY16 : ImagePlus.GRAY8,
					imp.getType());
			final Calibration cal = imp.getCalibration();
			assertEquals("mm", cal.getUnit());
			assertEquals(0.5, cal.pixelWidth, 1e-6);
			assertEquals(0.75, cal.pixelHeight, 1e-6);
			assertEquals(2.5, cal.pixelDepth, 1e-6);
			final RandomAccess<? extends RealType<?>> ra = img.randomAccess();
			for (int z = 0; z < Z; z++) {
				final ImageProcessor ip = imp.getStack().getProcessor(z + 1);
				for (int y = 0; y < H; y++)
					for (int x = 0; x < W; x++)
						if (kind == Kind.RGB) {
							final int[] rgb = ip.getPixel(x, y, null);
							for (int c = 0; c < 3; c++)
								assertEquals(ra.setPositionAndGet(x, y, c, z).getRealDouble(), rgb[c], kind + " " + x + "," + y + "," + z);
						}
						else assertEquals(ra.setPositionAndGet(x, y, 0, z).getRealFloat(), ip.getf(x, y), kind + " " + x + "," + y + "," + z);
			}
		}
	}

	@Test
	void imageJSeesHounsfieldUnitsOfAVolumeWeWrite() throws IOException {
		final Img<ShortType> raw = ArrayImgs.shorts(new short[] { 0, 24, 1024, 3000, 5, 6 }, 3, 2, 1);
		final Volume v = new Volume(raw, 1, -1024, VolumeGeometry.ofSpacing(0.7, 0.7, 5));
		final Path f = dir.resolve("hu.tif");
		TiffCodec.writeVolume(f, v, TiffCodec.Compression.DEFLATE);
		final ImagePlus imp = new Opener().openImage(f.toString());
		assertEquals(5, imp.getCalibration().pixelDepth, 1e-9);
		// ImageJ's row 0 is the volume's j = 1 (top row = last j)
		assertEquals(5 - 1024, imp.getProcessor().getPixelValue(1, 0), 1e-9);
		assertEquals(-1024, imp.getProcessor().getPixelValue(0, 1), 1e-9);
	}

	@Test
	void weReadStacksImageJWrites() throws IOException {
		final ImageStack shorts = new ImageStack(W, H), floats = new ImageStack(W, H), bytes = new ImageStack(W, H), rgb = new ImageStack(W, H);
		for (int z = 0; z < Z; z++) {
			final short[] s = new short[W * H];
			final float[] f = new float[W * H];
			final byte[] b = new byte[W * H];
			final int[] c = new int[W * H];
			for (int n = 0; n < W * H; n++) {
				s[n] = (short) (n * 300 + z);
				f[n] = n * 0.5f - z;
				b[n] = (byte) (n + 10 * z);
				c[n] = (n << 16) | (z << 8) | (255 - n);
			}
			shorts.addSlice(new ShortProcessor(W, H, s, null));
			floats.addSlice(new FloatProcessor(W, H, f));
			bytes.addSlice(new ByteProcessor(W, H, b));
			rgb.addSlice(new ColorProcessor(W, H, c));
		}
		for (final ImageStack stack : new ImageStack[] { shorts, floats, bytes, rgb }) {
			final ImagePlus imp = new ImagePlus("ij", stack);
			final Calibration cal = imp.getCalibration();
			cal.setUnit("mm");
			cal.pixelWidth = 0.5;
			cal.pixelHeight = 0.5;
			cal.pixelDepth = 3;
			final Path f = dir.resolve("ij-" + stack.getBitDepth() + ".tif");
			assertTrue(new FileSaver(imp).saveAsTiffStack(f.toString()));
			final TiffImage read = TiffCodec.read(f);
			assertArrayEquals(new long[] { W, H, stack.getBitDepth() == 24 ? 3 : 1, Z }, read.pixels().dimensionsAsLongArray());
			assertArrayEquals(new double[] { 0.5, 0.5, 3 }, read.spacing(), 1e-9);
			final RandomAccess<? extends RealType<?>> ra = read.pixels().randomAccess();
			for (int z = 0; z < Z; z++)
				for (int y = 0; y < H; y++)
					for (int x = 0; x < W; x++) {
						final ImageProcessor ip = stack.getProcessor(z + 1);
						if (stack.getBitDepth() == 24) {
							final int[] px = ip.getPixel(x, y, null);
							for (int c = 0; c < 3; c++)
								assertEquals(px[c], ra.setPositionAndGet(x, y, c, z).getRealDouble());
						}
						else assertEquals(ip.getf(x, y), ra.setPositionAndGet(x, y, 0, z).getRealFloat(), "bit depth " + stack.getBitDepth());
					}
		}
	}

	/** A CT opened in ImageJ (16-bit with ImageJ's −32768 offset calibration) and saved as TIFF reads back in HU. */
	@Test
	void weHonourImageJsSignedCalibration() throws IOException {
		final short[] s = { (short) (32768 - 1024), (short) 32768, (short) (32768 + 400), (short) (32768 + 3071) };
		final ImagePlus imp = new ImagePlus("ct", new ShortProcessor(2, 2, s, null));
		imp.getCalibration().setSigned16BitCalibration();
		final Path f = dir.resolve("signed.tif");
		assertTrue(new FileSaver(imp).saveAsTiff(f.toString()));
		final Volume v = TiffCodec.readVolume(f);
		final RandomAccess<? extends RealType<?>> hu = v.values().randomAccess();
		// row 0 of the file is j = 1
		assertEquals(-1024, hu.setPositionAndGet(0, 1, 0).getRealDouble(), 1e-9);
		assertEquals(0, hu.setPositionAndGet(1, 1, 0).getRealDouble(), 1e-9);
		assertEquals(400, hu.setPositionAndGet(0, 0, 0).getRealDouble(), 1e-9);
		assertEquals(3071, hu.setPositionAndGet(1, 0, 0).getRealDouble(), 1e-9);
	}

	/** The test LZW encoder (used to build the codec's LZW test files) agrees with ImageJ's LZW decoder. */
	@Test
	void testLzwEncoderIsUnderstoodByImageJ() {
		final Random random = new Random(11);
		final byte[] data = new byte[60_000];
		for (int n = 0; n < data.length; n++)
			data[n] = (byte) (random.nextInt(6) + (n / 1000) * 3);
		final byte[] encoded = TestLzw.encode(data);
		final FileInfo fi = new FileInfo();
		fi.fileType = FileInfo.GRAY8;
		fi.width = 300;
		fi.height = 200;
		fi.compression = FileInfo.LZW;
		fi.stripOffsets = new int[] { 0 };
		fi.stripLengths = new int[] { encoded.length };
		final byte[] decoded = (byte[]) new ImageReader(fi).readPixels(new java.io.ByteArrayInputStream(encoded));
		assertArrayEquals(data, decoded);
	}
}
