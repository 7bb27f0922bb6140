package io.github.unet3p.core.volume.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

class NiftiWriterTest {

	@TempDir
	Path dir;

	/** A rotated, mirrored, float32-exact affine with spacing (0.5, 0.75, 2.5). */
	static VolumeGeometry obliqueGeometry() {
		// columns: i → (0, 0.5, 0), j → (-0.75, 0, 0), k → (0, 0, -2.5): a rotation about z and a k mirror
		return new VolumeGeometry(new double[] { 0.5, 0.75, 2.5 },
				new double[][] { { 0, -0.75, 0, 100.5 }, { 0.5, 0, 0, -20.25 }, { 0, 0, -2.5, 3 }, { 0, 0, 0, 1 } });
	}

	static Stream<Arguments> typesAndSuffixes() {
		return Arrays.stream(NiftiDatatype.values()).flatMap(t -> Stream.of(Arguments.of(t, ".nii"), Arguments.of(t, ".nii.gz")));
	}

	/** Reads the reader test's values for {@code t} back into a native volume (via the reader itself on a hand-made file). */
	private Volume testVolume(final NiftiDatatype t) throws IOException {
		final TestNifti n = new TestNifti();
		n.dim = new short[] { 3, 2, 3, 2, 1, 1, 1, 1 };
		n.datatype = t.code();
		n.bitpix = t.bitpix();
		n.data = NiftiReaderTest.encode(t, ByteOrder.LITTLE_ENDIAN);
		final Volume v = NiftiReader.read(n.write(dir.resolve("source-" + t + ".nii"))).volume();
		return new Volume(v.raw(), 2, -1024, obliqueGeometry());
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("typesAndSuffixes")
	void roundTripIsExactForEveryDatatype(final NiftiDatatype t, final String suffix) throws IOException {
		final Volume v = testVolume(t);
		final Path f = dir.resolve("out" + suffix);
		NiftiWriter.write(f, v);
		final NiftiImage back = NiftiReader.read(f);
		NiftiReaderTest.assertTestValues(t, back.volume());
		assertEquals(2, back.volume().slope());
		assertEquals(-1024, back.volume().intercept());
		assertEquals(v.geometry(), back.volume().geometry());
		assertEquals(1, back.header().sformCode());
		assertEquals(1, back.header().qformCode());
	}

	@Test
	void freshHeaderQformDescribesTheSameAffineAsTheSform() {
		final NiftiHeader h = NiftiHeader.create(new long[] { 4, 5, 6 }, NiftiDatatype.UINT8, obliqueGeometry());
		assertEquals(-1, h.pixdim(0), "k is mirrored, so qfac = -1");
		final double[][] q = h.qformAffine(), s = h.sformAffine();
		for (int r = 0; r < 4; r++)
			assertArrayEquals(s[r], q[r], 1e-6, "row " + r);
	}

	@Test
	void freshHeaderQformOfAGeneralRotation() {
		// rotation by 30° about (1, 2, 2)/3, spacing (0.8, 0.9, 3)
		final double th = Math.toRadians(30), c = Math.cos(th), s = Math.sin(th);
		final double[] u = { 1 / 3.0, 2 / 3.0, 2 / 3.0 };
		final double[][] a = new double[4][4];
		final double[] z = { 0.8, 0.9, 3 };
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				final double cross = i == j ? 0 : (((j - i + 3) % 3 == 1) ? -u[3 - i - j] : u[3 - i - j]);
				a[i][j] = ((i == j ? c : 0) + (1 - c) * u[i] * u[j] + s * cross) * z[j];
			}
		a[0][3] = 5;
		a[1][3] = -6;
		a[2][3] = 7;
		a[3][3] = 1;
		final NiftiHeader h = NiftiHeader.create(new long[] { 2, 2, 2 }, NiftiDatatype.INT16, new VolumeGeometry(z, a));
		assertEquals(1, h.pixdim(0));
		final double[][] q = h.qformAffine();
		for (int r = 0; r < 4; r++)
			assertArrayEquals(a[r], q[r], 1e-5, "row " + r);
	}

	/** A CT read from a big-endian file: sform (code 2), qform (code 1), scaling, window, description. */
	private NiftiImage bigEndianCt() throws IOException {
		final TestNifti n = new TestNifti();
		n.order = ByteOrder.BIG_ENDIAN;
		n.dim = new short[] { 3, 3, 2, 2, 1, 1, 1, 1 };
		final ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
		for (int i = 0; i < 12; i++)
			b.putShort((short) (i * 100));
		n.data = b.array();
		n.pixdim = new float[] { -1, 0.703125f, 0.703125f, 5, 0, 0, 0, 0 };
		n.sclSlope = 1;
		n.sclInter = -1024;
		n.calMin = -200;
		n.calMax = 250;
		n.descrip = "LiTS volume-7";
		n.sformCode = 2;
		n.srow = new float[][] { { -0.703125f, 0, 0, 172.9f }, { 0, -0.703125f, 0, 179.3f }, { 0, 0, 5, -368.5f } };
		n.qformCode = 1;
		n.quatern = new float[] { 0, 0, 1 };
		n.qoffset = new float[] { 172.9f, 179.3f, -368.5f };
		return NiftiReader.read(n.write(dir.resolve("volume-7.nii")));
	}

	@Test
	void rewritingAnImageWithItsOwnHeaderKeepsEveryHeaderByte() throws IOException {
		final NiftiImage ct = bigEndianCt();
		final Path f = dir.resolve("copy.nii");
		NiftiWriter.write(f, ct.volume(), ct.header());
		final NiftiImage back = NiftiReader.read(f);
		assertArrayEquals(ct.header().bytes(), back.header().bytes());
		assertEquals(ByteOrder.LITTLE_ENDIAN, back.header().byteOrder());
	}

	@Test
	void labelVolumeWrittenWithTheCtHeaderHasItsGeometry() throws IOException {
		final NiftiImage ct = bigEndianCt();
		final byte[] labels = { 0, 1, 1, 0, 2, 0, 0, 0, 1, 1, 0, 0 };
		final Volume label = Volume.of(ArrayImgs.unsignedBytes(labels, 3, 2, 2), ct.volume().geometry());
		final Path f = dir.resolve("segmentation-7.nii.gz");
		NiftiWriter.write(f, label, ct.header());
		final NiftiImage back = NiftiReader.read(f);
		final NiftiHeader h = back.header();
		assertArrayEquals(ct.header().affine(), h.affine(), "affine preserved exactly");
		assertEquals(ct.volume().geometry(), back.volume().geometry());
		assertArrayEquals(ct.header().qformAffine(), h.qformAffine());
		assertEquals(2, h.sformCode());
		assertEquals(1, h.qformCode());
		assertEquals(-1, h.pixdim(0));
		assertEquals("LiTS volume-7", h.description());
		assertEquals(NiftiDatatype.UINT8, h.datatype());
		assertEquals(8, h.bitpix());
		assertEquals(1, h.sclSlope());
		assertEquals(0, h.sclInter());
		assertEquals(0, h.calMin(), "CT window dropped for labels");
		assertEquals(0, h.calMax());
		int i = 0;
		for (final RealType<?> t : Views.flatIterable(back.volume().raw()))
			assertEquals(labels[i++], t.getRealDouble());
	}

	@Test
	void labelVolumeOfAnotherShapeTakesItsOwnSizes() throws IOException {
		final NiftiImage ct = bigEndianCt();
		final Volume label = Volume.of(ArrayImgs.unsignedBytes(5, 4, 1), ct.volume().geometry());
		final Path f = dir.resolve("l.nii");
		NiftiWriter.write(f, label, ct.header());
		final NiftiHeader h = NiftiReader.readHeader(f);
		assertArrayEquals(new long[] { 5, 4, 1 }, h.volumeDimensions());
		assertEquals(3, h.dim(0));
	}

	@Test
	void fileLayoutIsLittleEndianWithDataAt352AndNoExtensions() throws IOException {
		final Path f = dir.resolve("l.nii");
		NiftiWriter.write(f, Volume.of(ArrayImgs.shorts(new short[] { 1, -2 }, 2, 1, 1), VolumeGeometry.ofSpacing(1, 1, 1)));
		final byte[] bytes = Files.readAllBytes(f);
		assertEquals(352 + 4, bytes.length);
		final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(348, b.getInt(0));
		assertEquals(352f, b.getFloat(108));
		assertArrayEquals(new byte[] { 'n', '+', '1', 0 }, Arrays.copyOfRange(bytes, 344, 348));
		assertArrayEquals(new byte[4], Arrays.copyOfRange(bytes, 348, 352), "extension flag zero");
		assertEquals(1, b.getShort(352));
		assertEquals(-2, b.getShort(354));
		assertEquals(2, b.get(123), "units mm");
	}

	@Test
	void booleanAndOtherTypesAreWrittenAsUint8AndFloat64() throws IOException {
		final Volume bits = Volume.of(ArrayImgs.bits(2, 2, 1), VolumeGeometry.ofSpacing(1, 1, 1));
		Views.flatIterable(bits.raw()).firstElement().setReal(1);
		NiftiWriter.write(dir.resolve("bits.nii"), bits);
		final NiftiImage b = NiftiReader.read(dir.resolve("bits.nii"));
		assertEquals(NiftiDatatype.UINT8, b.header().datatype());
		assertEquals(1, Views.flatIterable(b.volume().raw()).firstElement().getRealDouble());

		final Volume scaled = Volume.of(ArrayImgs.shorts(new short[] { 3, 4 }, 2, 1, 1), VolumeGeometry.ofSpacing(1, 1, 1));
		final Volume asDouble = Volume.of(scaled.values(), scaled.geometry());
		NiftiWriter.write(dir.resolve("d.nii"), asDouble);
		assertEquals(NiftiDatatype.FLOAT64, NiftiReader.readHeader(dir.resolve("d.nii")).datatype());
	}

	@Test
	void viewsThatAreNotPlainImagesAreWrittenVoxelByVoxel() throws IOException {
		final short[] v = { 1, 2, 3, 4, 5, 6, 7, 8 };
		final Volume shifted = Volume.of(Views.translate(ArrayImgs.shorts(v, 2, 2, 2), 5, -3, 7), VolumeGeometry.ofSpacing(1, 1, 1));
		NiftiWriter.write(dir.resolve("s.nii"), shifted);
		final NiftiImage back = NiftiReader.read(dir.resolve("s.nii"));
		assertEquals(NiftiDatatype.INT16, back.header().datatype());
		int i = 0;
		for (final RealType<?> t : Views.flatIterable(back.volume().raw()))
			assertEquals(v[i++], t.getRealDouble());
		assertEquals(8, i);
	}

	@ParameterizedTest
	@ValueSource(strings = { "labels.hdr", "labels.img", "labels.txt", "labels" })
	void refusesNamesThatAreNotNii(final String name) throws IOException {
		final Path f = dir.resolve(name);
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> NiftiWriter.write(f, Volume.of(ArrayImgs.unsignedBytes(2, 2, 2), VolumeGeometry.ofSpacing(1, 1, 1))));
		assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(".nii.gz"), e.getMessage());
		assertEquals(List.of(), listDir());
	}

	@Test
	void refusesSizesBeyondNifti1() throws IOException {
		final Path f = dir.resolve("wide.nii");
		final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> NiftiWriter.write(f, Volume.of(ArrayImgs.unsignedBytes(32768, 1, 1), VolumeGeometry.ofSpacing(1, 1, 1))));
		assertTrue(e.getMessage().contains("32767") && e.getMessage().contains(f.toString()), e.getMessage());
		assertEquals(List.of(), listDir());
	}

	@Test
	void cancellingLeavesTheEarlierFileIntactAndNoTemporaryFile() throws IOException {
		final Path f = dir.resolve("keep.nii");
		Files.write(f, new byte[] { 42 });
		final Cancellation cancel = new Cancellation();
		final ProgressListener cancelAfterFirstSlice = new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {
				cancel.cancel();
			}

			@Override
			public void message(final String text) {}
		};
		final Volume v = Volume.of(ArrayImgs.unsignedBytes(4, 4, 5), VolumeGeometry.ofSpacing(1, 1, 1));
		final NiftiHeader template = NiftiHeader.create(v.dimensions(), NiftiDatatype.UINT8, v.geometry());
		assertThrows(CancelledException.class, () -> NiftiWriter.write(f, v, template, cancelAfterFirstSlice, cancel));
		assertArrayEquals(new byte[] { 42 }, Files.readAllBytes(f));
		assertEquals(List.of("keep.nii"), listDir());
	}

	private List<String> listDir() throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("source-")).sorted().collect(Collectors.toList());
		}
	}
}
