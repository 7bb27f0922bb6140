package io.github.unet3p.fiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.testsupport.TinyDicom;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;

class DicomSeriesReaderTest {

	private static final int COLUMNS = 3, ROWS = 2;

	@TempDir
	Path dir;

	/** Stored value of column c, row r of slice number s (in position order). */
	private static short stored(final int s, final int c, final int r) {
		return (short) (100 * s + 10 * r + c - 50);
	}

	private static short[] slicePixels(final int s) {
		final short[] px = new short[COLUMNS * ROWS];
		for (int r = 0; r < ROWS; r++)
			for (int c = 0; c < COLUMNS; c++)
				px[c + COLUMNS * r] = stored(s, c, r);
		return px;
	}

	/**
	 * Writes an axial 3-slice series at z = 10, 12.5, 15 in shuffled file order: file names and
	 * instance numbers both disagree with the position order.
	 */
	private void writeAxialSeries(final Path folder, final String series) throws IOException {
		final String[] names = { "b.dcm", "c.dcm", "a.dcm" }; // slice 0, 1, 2
		final int[] instance = { 3, 1, 2 };
		final int[] writeOrder = { 2, 0, 1 };
		for (final int s : writeOrder)
			TinyDicom.ct(COLUMNS, ROWS).series(series).instance(instance[s], "1.2.3.9." + s).position(-100, -50, 10 + 2.5 * s)
					.pixelSpacing(0.8, 0.6).pixels(slicePixels(s)).write(folder.resolve(names[s]));
	}

	@Test
	void ordersSlicesByPositionAndFlipsRowsLikeDcm2niix() throws IOException {
		writeAxialSeries(dir, "1.2.3.4.5");
		final Volume v = DicomSeriesReader.read(dir);
		assertArrayEquals(new long[] { COLUMNS, ROWS, 3 }, v.dimensions());
		assertInstanceOf(ShortType.class, v.raw().getType(), "int16 CT stays int16");
		final RandomAccess<? extends RealType<?>> raw = v.raw().randomAccess();
		final RandomAccess<? extends RealType<?>> hu = v.values().randomAccess();
		for (int k = 0; k < 3; k++)
			for (int j = 0; j < ROWS; j++)
				for (int i = 0; i < COLUMNS; i++) {
					final int expected = stored(k, i, ROWS - 1 - j);
					assertEquals(expected, raw.setPositionAndGet(i, j, k).getRealDouble(), "raw at " + i + "," + j + "," + k);
					assertEquals(expected - 1024, hu.setPositionAndGet(i, j, k).getRealDouble(), "HU at " + i + "," + j + "," + k);
				}
		assertEquals(1, v.slope());
		assertEquals(-1024, v.intercept());
		assertArrayEquals(new double[] { 0.6, 0.8, 2.5 }, v.geometry().spacing(), 1e-12);
		// hand-computed: x = −(LPS x), y = −(LPS y); j runs up from the last row (y = −50 + 0.8 in LPS)
		final double[][] expected = {
				{ -0.6, 0, 0, 100 },
				{ 0, 0.8, 0, 49.2 },
				{ 0, 0, 2.5, 10 },
				{ 0, 0, 0, 1 } };
		final double[][] affine = v.geometry().affine();
		for (int r = 0; r < 4; r++)
			assertArrayEquals(expected[r], affine[r], 1e-9, "affine row " + r);
	}

	@Test
	void rescaleSlopeOtherThanOneGivesHounsfieldUnitsHeadless() throws IOException {
		for (int s = 0; s < 3; s++)
			TinyDicom.ct(COLUMNS, ROWS).position(0, 0, s).rescale(2, -1000).pixels(slicePixels(s)).write(dir.resolve("s" + s + ".dcm"));
		final Volume v = DicomSeriesReader.read(dir);
		assertEquals(2, v.slope());
		assertEquals(-1000, v.intercept());
		assertEquals(2 * stored(1, 2, ROWS - 1) - 1000, v.values().randomAccess().setPositionAndGet(2, 0, 1).getRealDouble());
	}

	static List<Arguments> orientations() {
		return List.of(
				Arguments.of("axial", new double[] { 1, 0, 0, 0, 1, 0 }),
				Arguments.of("coronal", new double[] { 1, 0, 0, 0, 0, -1 }),
				Arguments.of("sagittal", new double[] { 0, 1, 0, 0, 0, -1 }),
				Arguments.of("oblique", new double[] { Math.cos(0.3), Math.sin(0.3), 0, 0, 0, -1 }),
				Arguments.of("feet-first mirrored", new double[] { -1, 0, 0, 0, 1, 0 }));
	}

	/** Every voxel sits, through the affine, at the RAS position of the DICOM pixel it came from. */
	@ParameterizedTest(name = "{0}")
	@MethodSource("orientations")
	void affineMapsEveryVoxelToItsDicomPixelPosition(final String name, final double[] iop) throws IOException {
		final double[] x = { iop[0], iop[1], iop[2] }, y = { iop[3], iop[4], iop[5] };
		final double[] n = { x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0] };
		final double[] origin = { 12, -7, 30 };
		final double dr = 0.8, dc = 0.6, dz = 3;
		final int[] fileOrder = { 1, 2, 0 };
		for (final int s : fileOrder) {
			final double[] p = { origin[0] + s * dz * n[0], origin[1] + s * dz * n[1], origin[2] + s * dz * n[2] };
			TinyDicom.ct(COLUMNS, ROWS).orientation(iop).position(p[0], p[1], p[2]).pixelSpacing(dr, dc).pixels(slicePixels(s))
					.write(dir.resolve("f" + s + ".dcm"));
		}
		final Volume v = DicomSeriesReader.read(dir);
		final double[][] a = v.geometry().affine();
		final RandomAccess<? extends RealType<?>> raw = v.raw().randomAccess();
		for (int k = 0; k < 3; k++)
			for (int j = 0; j < ROWS; j++)
				for (int i = 0; i < COLUMNS; i++) {
					final int value = (int) raw.setPositionAndGet(i, j, k).getRealDouble();
					// decode which DICOM pixel this value came from
					final int s = Math.floorDiv(value + 50, 100), r = Math.floorDiv(value + 50 - 100 * s, 10), c = value + 50 - 100 * s - 10 * r;
					final double[] lps = new double[3];
					for (int d = 0; d < 3; d++)
						lps[d] = origin[d] + s * dz * n[d] + c * dc * x[d] + r * dr * y[d];
					final double[] ras = { -lps[0], -lps[1], lps[2] };
					for (int d = 0; d < 3; d++)
						assertEquals(ras[d], a[d][0] * i + a[d][1] * j + a[d][2] * k + a[d][3], 1e-4, name + " voxel " + i + "," + j + "," + k + " axis " + d);
				}
		assertArrayEquals(new double[] { dc, dr, dz }, v.geometry().spacing(), 1e-4);
		final double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
				+ a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
		assertTrue(det < 0, "row flip plus LPS→RAS give a left-handed (radiological) storage, as dcm2niix writes: det " + det);
	}

	@Test
	void refusesEmptyFolder() throws IOException {
		Files.writeString(dir.resolve("notes.txt"), "not an image");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		assertTrue(e.getMessage().contains("No DICOM files") && e.getMessage().contains(dir.toString()), e.getMessage());
	}

	@Test
	void refusesMixedSeriesListingEachWithItsFileCount() throws IOException {
		writeAxialSeries(dir, "1.2.3.4.5");
		TinyDicom.ct(COLUMNS, ROWS).series("9.8.7").position(0, 0, 0).write(dir.resolve("other1.dcm"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		final String m = e.getMessage();
		assertTrue(m.contains(dir.toString()) && m.contains("1.2.3.4.5 (3 files") && m.contains("9.8.7 (1 files"), m);
	}

	@Test
	void readSeriesOfPicksTheSeriesOfTheGivenFile() throws IOException {
		writeAxialSeries(dir, "1.2.3.4.5");
		TinyDicom.ct(COLUMNS, ROWS).series("9.8.7").position(0, 0, 0).write(dir.resolve("other1.dcm"));
		final Volume v = DicomSeriesReader.readSeriesOf(dir.resolve("c.dcm"), io.github.unet3p.core.util.ProgressListener.NONE,
				io.github.unet3p.core.util.Cancellation.none());
		assertEquals(3, v.size(2));
	}

	@Test
	void refusesMissingSliceSayingWhere() throws IOException {
		final double[] z = { 0, 2.5, 5, 10, 12.5 };
		for (int s = 0; s < z.length; s++)
			TinyDicom.ct(COLUMNS, ROWS).position(0, 0, z[s]).write(dir.resolve("slice" + s + ".dcm"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		final String m = e.getMessage();
		assertTrue(m.contains("missing") && m.contains("slice2.dcm (at 5.000 mm)") && m.contains("slice3.dcm (at 10.000 mm)")
				&& m.contains("about 1 slice(s) missing"), m);
	}

	@Test
	void refusesDuplicatePositions() throws IOException {
		for (int s = 0; s < 3; s++)
			TinyDicom.ct(COLUMNS, ROWS).position(0, 0, s).write(dir.resolve("s" + s + ".dcm"));
		TinyDicom.ct(COLUMNS, ROWS).position(0, 0, 1).write(dir.resolve("copy.dcm"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		assertTrue(e.getMessage().contains("share a position") && e.getMessage().contains("copy.dcm"), e.getMessage());
	}

	@Test
	void refusesDifferentSliceSizes() throws IOException {
		TinyDicom.ct(COLUMNS, ROWS).position(0, 0, 0).write(dir.resolve("s0.dcm"));
		TinyDicom.ct(COLUMNS, ROWS).position(0, 0, 1).write(dir.resolve("s1.dcm"));
		TinyDicom.ct(4, 4).position(0, 0, 2).write(dir.resolve("s2.dcm"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		assertTrue(e.getMessage().contains("different sizes") && e.getMessage().contains("3×2 (2 files") && e.getMessage().contains("4×4 (1 files"),
				e.getMessage());
	}

	@Test
	void refusesCompressedTransferSyntaxNamingIt() throws IOException {
		TinyDicom.ct(COLUMNS, ROWS).position(0, 0, 0).transferSyntax("1.2.840.10008.1.2.4.70").write(dir.resolve("s0.dcm"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		assertTrue(e.getMessage().contains("1.2.840.10008.1.2.4.70 (JPEG)") && e.getMessage().contains("cannot decode"), e.getMessage());
	}

	@Test
	void refusesNonCtImages() throws IOException {
		TinyDicom.ct(COLUMNS, ROWS).position(0, 0, 0).sopClass("1.2.840.10008.5.1.4.1.1.4").modality("MR").write(dir.resolve("mr.dcm"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		assertTrue(e.getMessage().contains("mr.dcm") && e.getMessage().contains("not a CT image"), e.getMessage());
	}

	@Test
	void refusesTruncatedPixelData() throws IOException {
		TinyDicom.ct(COLUMNS, ROWS).position(0, 0, 0).write(dir.resolve("s0.dcm"));
		final byte[] whole = Files.readAllBytes(dir.resolve("s0.dcm"));
		Files.write(dir.resolve("s0.dcm"), java.util.Arrays.copyOf(whole, whole.length - 4));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> DicomSeriesReader.read(dir));
		assertTrue(e.getMessage().contains("truncated"), e.getMessage());
	}
}
