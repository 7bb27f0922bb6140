package io.github.unet3p.core.volume.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.unet3p.core.volume.Volume;
import org.junit.jupiter.api.Test;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.ProgressListener;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

class NiftiReaderTest {

	@TempDir
	Path dir;

	/** Per datatype, the stored values of a 2×3×2 test volume, extremes included. */
	static long[] integerValues(final NiftiDatatype t) {
		switch (t) {
			case UINT8: return new long[] { 0, 1, 2, 127, 128, 200, 254, 255, 3, 4, 5, 6 };
			case INT8: return new long[] { -128, -1, 0, 1, 127, 100, -100, 2, 3, 4, 5, 6 };
			case INT16: return new long[] { -32768, -1024, -1, 0, 1, 32767, 3071, 2, 3, 4, 5, 6 };
			case UINT16: return new long[] { 0, 1, 32767, 32768, 65535, 40000, 2, 3, 4, 5, 6, 7 };
			case INT32: return new long[] { Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 70000, -70000, 2, 3, 4, 5, 6 };
			case UINT32: return new long[] { 0, 1, 0x7fffffffL, 0x80000000L, 0xffffffffL, 3_000_000_000L, 2, 3, 4, 5, 6, 7 };
			case INT64: return new long[] { Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 1L << 40, -(1L << 40), 2, 3, 4, 5, 6 };
			case UINT64: return new long[] { 0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, 1L << 62, 2, 3, 4, 5, 6, 7 };
			default: throw new IllegalArgumentException();
		}
	}

	static double[] floatValues(final NiftiDatatype t) {
		if (t == NiftiDatatype.FLOAT32)
			return new double[] { 0, -0.0, 1.5f, -1024.25f, Float.MAX_VALUE, Float.MIN_VALUE, 1e-20f, 3.1415927f, -7, 8, 9, 10 };
		return new double[] { 0, -0.0, Math.PI, -1e300, Double.MAX_VALUE, Double.MIN_VALUE, 1e-20, -7.125, 8, 9, 10, 11 };
	}

	/** Encodes the test values of {@code t} in {@code order}. */
	static byte[] encode(final NiftiDatatype t, final ByteOrder order) {
		final ByteBuffer b = ByteBuffer.allocate(12 * t.bytesPerVoxel()).order(order);
		if (t.isFloatingPoint()) {
			for (final double v : floatValues(t))
				if (t == NiftiDatatype.FLOAT32) b.putFloat((float) v);
				else b.putDouble(v);
		}
		else for (final long v : integerValues(t))
			switch (t.bytesPerVoxel()) {
				case 1: b.put((byte) v); break;
				case 2: b.putShort((short) v); break;
				case 4: b.putInt((int) v); break;
				default: b.putLong(v);
			}
		return b.array();
	}

	/** Asserts that {@code volume} holds exactly the test values of {@code t} in their native type. */
	static void assertTestValues(final NiftiDatatype t, final Volume volume) {
		assertArrayEquals(new long[] { 2, 3, 2 }, volume.dimensions());
		assertSame(t.typeClass(), volume.raw().getType().getClass());
		int n = 0;
		for (final RealType<?> v : Views.flatIterable(volume.raw())) {
			if (t.isFloatingPoint()) assertEquals(floatValues(t)[n], v.getRealDouble(), 0, t + " voxel " + n);
			else assertEquals(integerValues(t)[n], ((IntegerType<?>) v).getIntegerLong(), t + " voxel " + n);
			n++;
		}
		assertEquals(12, n);
	}

	static Stream<Arguments> typesAndOrders() {
		final List<Arguments> a = new ArrayList<>();
		for (final NiftiDatatype t : NiftiDatatype.values())
			for (final ByteOrder o : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
				a.add(Arguments.of(t, o));
		return a.stream();
	}

	private TestNifti file(final NiftiDatatype t, final ByteOrder order) {
		final TestNifti n = new TestNifti();
		n.order = order;
		n.dim = new short[] { 3, 2, 3, 2, 1, 1, 1, 1 };
		n.datatype = t.code();
		n.bitpix = t.bitpix();
		n.data = encode(t, order);
		return n;
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("typesAndOrders")
	void readsEveryDatatypeInBothByteOrders(final NiftiDatatype t, final ByteOrder order) throws IOException {
		final NiftiImage img = NiftiReader.read(file(t, order).write(dir.resolve("v.nii")));
		assertTestValues(t, img.volume());
		assertInstanceOf(PlanarImg.class, img.volume().raw(), "one array per k slice");
		assertEquals(order, img.header().byteOrder());
		assertEquals(t, img.header().datatype());
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("typesAndOrders")
	void readsGzipInEveryDatatypeAndByteOrder(final NiftiDatatype t, final ByteOrder order) throws IOException {
		final NiftiImage img = NiftiReader.read(file(t, order).writeGzip(dir.resolve("v.nii.gz")));
		assertTestValues(t, img.volume());
	}

	@Test
	void recognisesGzipByContentNotName() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(4, 3, 2);
		final Volume gzNamedNii = NiftiReader.read(n.writeGzip(dir.resolve("really-gzip.nii"))).volume();
		final Volume niiNamedGz = NiftiReader.read(n.write(dir.resolve("really-plain.nii.gz"))).volume();
		for (final Volume v : new Volume[] { gzNamedNii, niiNamedGz }) {
			int i = 0;
			for (final RealType<?> t : Views.flatIterable(v.raw()))
				assertEquals(i++, t.getRealDouble());
			assertEquals(24, i);
		}
	}

	@Test
	void readsManySlicesOfOnePlaneEach() throws IOException {
		final NiftiImage img = NiftiReader.read(new TestNifti().int16Ramp(3, 2, 50).write(dir.resolve("v.nii")));
		final double[] slice = new double[6];
		img.volume().axialSlice(49, slice);
		assertArrayEquals(new double[] { 294, 295, 296, 297, 298, 299 }, slice);
	}

	@Test
	void reportsProgressPerSliceAndStopsWhenCancelled() throws IOException {
		final Path f = new TestNifti().int16Ramp(3, 2, 5).writeGzip(dir.resolve("v.nii.gz"));
		final List<Long> done = new ArrayList<>();
		final Cancellation cancel = new Cancellation();
		final ProgressListener stopAtTwo = new ProgressListener() {
			@Override
			public void progress(final String task, final long d, final long total) {
				assertEquals(5, total);
				assertTrue(task.contains("v.nii.gz"), task);
				done.add(d);
				if (d == 2) cancel.cancel();
			}

			@Override
			public void message(final String text) {}
		};
		assertThrows(CancelledException.class, () -> NiftiReader.read(f, stopAtTwo, cancel));
		assertEquals(List.of(1L, 2L), done);
	}

	@ParameterizedTest(name = "scl_slope={0} scl_inter={1}")
	@CsvSource({
		"1, 0, 1, 0",
		"0, 0, 1, 0",
		"0, -1024, 1, 0",
		"NaN, -1024, 1, 0",
		"Infinity, 5, 1, 0",
		"2, -1024, 2, -1024",
		"0.5, 10, 0.5, 10",
		"1, -1024, 1, -1024" })
	void appliesScalingLikeNibabel(final float slope, final float inter, final double expSlope, final double expInter) throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(2, 2, 1);
		n.sclSlope = slope;
		n.sclInter = inter;
		final Volume v = NiftiReader.read(n.write(dir.resolve("v.nii"))).volume();
		assertEquals(expSlope, v.slope());
		assertEquals(expInter, v.intercept());
		final double[] slice = new double[4];
		v.axialSlice(0, slice);
		assertArrayEquals(new double[] { expInter, expSlope + expInter, 2 * expSlope + expInter, 3 * expSlope + expInter }, slice);
	}

	@Test
	void affineFromSformWinsOverQform() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(2, 2, 2);
		n.sformCode = 2;
		n.qformCode = 1;
		n.srow = new float[][] { { -0.75f, 0, 0.1f, 120.5f }, { 0, 0.75f, 0, -80 }, { 0, 0, 2.5f, -300.25f } };
		n.pixdim = new float[] { 1, 0.75f, 0.75f, 2.5f, 0, 0, 0, 0 };
		final NiftiImage img = NiftiReader.read(n.write(dir.resolve("v.nii")));
		assertArrayEquals(new double[][] { { -0.75, 0, 0.1f, 120.5 }, { 0, 0.75, 0, -80 }, { 0, 0, 2.5, -300.25 }, { 0, 0, 0, 1 } },
				img.volume().geometry().affine());
		assertArrayEquals(new double[] { 0.75, 0.75, 2.5 }, img.volume().geometry().spacing());
	}

	/**
	 * A 90° rotation about z: (b, c, d) = (0, 0, sin 45°), so R = [[0, −1, 0], [1, 0, 0], [0, 0, 1]];
	 * pixdim (2, 3, 4) with qfac −1 flips k, so the affine is R · diag(2, 3, −4) plus the offset.
	 */
	@Test
	void affineFromQformQuaternion() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(2, 2, 2);
		n.qformCode = 1;
		n.quatern = new float[] { 0, 0, (float) Math.sqrt(0.5) };
		n.qoffset = new float[] { 10, 20, 30 };
		n.pixdim = new float[] { -1, 2, 3, 4, 0, 0, 0, 0 };
		final double[][] a = NiftiReader.read(n.write(dir.resolve("v.nii"))).volume().geometry().affine();
		final double[][] expected = { { 0, -3, 0, 10 }, { 2, 0, 0, 20 }, { 0, 0, -4, 30 }, { 0, 0, 0, 1 } };
		for (int r = 0; r < 4; r++)
			assertArrayEquals(expected[r], a[r], 1e-6, "row " + r);
	}

	@Test
	void qformWithIdentityQuaternionAndNegativePixdimUsesAbsoluteValues() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(2, 2, 2);
		n.qformCode = 1;
		n.pixdim = new float[] { 1, -0.5f, 0.5f, 0, 0, 0, 0, 0 };
		final NiftiImage img = NiftiReader.read(n.write(dir.resolve("v.nii")));
		assertArrayEquals(new double[][] { { 0.5, 0, 0, 0 }, { 0, 0.5, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } }, img.volume().geometry().affine());
		assertArrayEquals(new double[] { 0.5, 0.5, 1 }, img.volume().geometry().spacing());
	}

	/** nibabel's fall-back: diag(−2, 3, 4), centred: translation −(shape − 1)/2 · zooms = (3, −6, −10). */
	@Test
	void affineFromPixdimOnlyIsNibabelsFallback() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(4, 5, 6);
		n.pixdim = new float[] { 1, 2, 3, 4, 0, 0, 0, 0 };
		final double[][] a = NiftiReader.read(n.write(dir.resolve("v.nii"))).volume().geometry().affine();
		assertArrayEquals(new double[][] { { -2, 0, 0, 3 }, { 0, 3, 0, -6 }, { 0, 0, 4, -10 }, { 0, 0, 0, 1 } }, a);
	}

	@Test
	void twoDimensionalImageBecomesOneSlice() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(3, 2, 1);
		n.dim = new short[] { 2, 3, 2, 0, 0, 0, 0, 0 };
		n.pixdim = new float[] { 1, 0.5f, 0.25f, 0, 0, 0, 0, 0 };
		final Volume v = NiftiReader.read(n.write(dir.resolve("slice.nii"))).volume();
		assertArrayEquals(new long[] { 3, 2, 1 }, v.dimensions());
		assertArrayEquals(new double[] { 0.5, 0.25, 1 }, v.geometry().spacing());
	}

	@Test
	void fourDimensionalImageWithOneTimePointIsAVolume() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(2, 2, 3);
		n.dim = new short[] { 4, 2, 2, 3, 1, 1, 1, 1 };
		assertArrayEquals(new long[] { 2, 2, 3 }, NiftiReader.read(n.write(dir.resolve("v.nii"))).volume().dimensions());
	}

	@Test
	void skipsExtensionsUpToVoxOffset() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(2, 2, 1);
		n.voxOffset = 368;
		final byte[] withExt = new byte[16 + n.data.length];
		withExt[0] = 1; // extension flag set; the 12 bytes after it are ignored
		System.arraycopy(n.data, 0, withExt, 16, n.data.length);
		n.data = withExt;
		for (final Path p : new Path[] { n.write(dir.resolve("e.nii")), n.writeGzip(dir.resolve("e.nii.gz")) }) {
			final double[] s = new double[4];
			NiftiReader.read(p).volume().axialSlice(0, s);
			assertArrayEquals(new double[] { 0, 1, 2, 3 }, s);
		}
	}

	@Test
	void readsHeaderOnlyFields() throws IOException {
		final TestNifti n = new TestNifti().int16Ramp(2, 3, 4);
		n.order = ByteOrder.BIG_ENDIAN;
		n.descrip = "liver CT";
		n.calMin = -200;
		n.calMax = 250;
		n.data = new byte[0]; // no voxels needed for the header
		final NiftiHeader h = NiftiReader.readHeader(n.write(dir.resolve("h.nii")));
		assertEquals(ByteOrder.BIG_ENDIAN, h.byteOrder());
		assertArrayEquals(new long[] { 2, 3, 4 }, h.volumeDimensions());
		assertEquals("liver CT", h.description());
		assertEquals(-200, h.calMin());
		assertEquals(250, h.calMax());
		assertEquals(2, h.xyztUnits());
		assertArrayEquals(n.header(), java.util.Arrays.copyOf(h.originalBytes(), 352), "original bytes kept");
	}

	@Test
	void bigEndianHeaderIsKeptAsLittleEndianBytes() throws IOException {
		final TestNifti be = new TestNifti().int16Ramp(2, 3, 4);
		be.order = ByteOrder.BIG_ENDIAN;
		be.pixdim = new float[] { 1, 0.7f, 0.7f, 5, 0, 0, 0, 0 };
		final TestNifti le = new TestNifti().int16Ramp(2, 3, 4);
		le.pixdim = be.pixdim;
		final NiftiHeader fromBe = NiftiReader.readHeader(be.write(dir.resolve("be.nii")));
		final NiftiHeader fromLe = NiftiReader.readHeader(le.write(dir.resolve("le.nii")));
		assertArrayEquals(fromLe.bytes(), fromBe.bytes());
		assertTrue(Files.size(dir.resolve("be.nii")) > 352);
	}
}
