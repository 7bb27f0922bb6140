package io.github.unet3p.core.volume.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.unet3p.core.util.InvalidInputException;

/** Every malformed input ends in one {@link InvalidInputException} naming the file and the problem. */
class NiftiReaderErrorsTest {

	@TempDir
	Path dir;

	/** Makes the bad file in a folder and returns its path. */
	@FunctionalInterface
	interface BadFile {
		Path make(Path dir) throws IOException;
	}

	private static TestNifti ramp() {
		return new TestNifti().int16Ramp(2, 3, 4); // 48 bytes of voxel data
	}

	private static BadFile header(final java.util.function.Consumer<TestNifti> change) {
		return dir -> {
			final TestNifti n = ramp();
			change.accept(n);
			return n.write(dir.resolve("bad.nii"));
		};
	}

	static Stream<Arguments> badFiles() {
		return Stream.of(
			Arguments.of("wrong magic", header(n -> n.magic = "abc"), new String[] { "not a NIfTI-1 file", "magic" }),
			Arguments.of("Analyze 7.5 (no magic)", header(n -> n.magic = "\0\0\0"), new String[] { "not a NIfTI-1 file", "Analyze" }),
			Arguments.of("pair magic ni1", header(n -> n.magic = "ni1"), new String[] { ".hdr/.img pair", "not supported" }),
			Arguments.of(".hdr name", (BadFile) dir -> ramp().write(dir.resolve("scan.hdr")), new String[] { ".hdr/.img pairs are not supported" }),
			Arguments.of(".img name", (BadFile) dir -> ramp().write(dir.resolve("scan.img")), new String[] { ".hdr/.img pairs are not supported" }),
			Arguments.of("wrong sizeof_hdr", header(n -> n.sizeofHdr = 100), new String[] { "sizeof_hdr", "expected 348" }),
			Arguments.of("NIfTI-2", header(n -> n.sizeofHdr = 540), new String[] { "NIfTI-2" }),
			Arguments.of("truncated header", (BadFile) dir -> Files.write(dir.resolve("bad.nii"), Arrays.copyOf(ramp().bytes(), 200)),
					new String[] { "truncated", "348 bytes", "has 200" }),
			Arguments.of("truncated header gzip", (BadFile) dir -> Files.write(dir.resolve("bad.nii.gz"),
					TestNifti.gzip(Arrays.copyOf(ramp().bytes(), 300))), new String[] { "truncated", "348 bytes", "decompresses to 300" }),
			Arguments.of("truncated data", (BadFile) dir -> Files.write(dir.resolve("bad.nii"), Arrays.copyOf(ramp().bytes(), 352 + 20)),
					new String[] { "truncated", "48 bytes of voxel data", "only 20" }),
			Arguments.of("truncated data gzip", (BadFile) dir -> Files.write(dir.resolve("bad.nii.gz"),
					TestNifti.gzip(Arrays.copyOf(ramp().bytes(), 352 + 20))), new String[] { "truncated", "48 bytes of voxel data", "only 20" }),
			Arguments.of("gzip cut mid-stream", (BadFile) dir -> {
				final byte[] gz = TestNifti.gzip(new TestNifti().int16Ramp(40, 40, 10).bytes());
				return Files.write(dir.resolve("bad.nii.gz"), Arrays.copyOf(gz, gz.length / 2));
			}, new String[] { "truncated", "32000 bytes of voxel data" }),
			Arguments.of("gzip CRC wrong", (BadFile) dir -> {
				final byte[] gz = TestNifti.gzip(ramp().bytes());
				gz[gz.length - 8] ^= 0x55;
				return Files.write(dir.resolve("bad.nii.gz"), gz);
			}, new String[] { "corrupt gzip" }),
			Arguments.of("gzip header damaged", (BadFile) dir -> {
				final byte[] gz = TestNifti.gzip(ramp().bytes());
				gz[2] = 99; // compression method
				return Files.write(dir.resolve("bad.nii.gz"), gz);
			}, new String[] { "not a valid gzip file" }),
			Arguments.of("empty file", (BadFile) dir -> Files.write(dir.resolve("empty.nii"), new byte[0]), new String[] { "empty (0 bytes)" }),
			Arguments.of("folder", (BadFile) dir -> Files.createDirectory(dir.resolve("folder.nii")), new String[] { "is a folder" }),
			Arguments.of("missing", (BadFile) dir -> dir.resolve("missing.nii"), new String[] { "does not exist" }),
			Arguments.of("zero size", header(n -> n.dim[2] = 0), new String[] { "dim[2] = 0", "at least 1" }),
			Arguments.of("negative size", header(n -> n.dim[1] = -5), new String[] { "dim[1] = -5" }),
			Arguments.of("dim[0] = 0", header(n -> n.dim[0] = 0), new String[] { "dim[0] = 0", "1 to 7" }),
			Arguments.of("dim[0] = 8", header(n -> n.dim[0] = 8), new String[] { "dim[0] = 8", "1 to 7" }),
			Arguments.of("4-D time series", header(n -> {
				n.dim[0] = 4;
				n.dim[4] = 3;
			}), new String[] { "4-D image", "2×3×4×3", "3-D volume is needed" }),
			Arguments.of("5-D", header(n -> {
				n.dim[0] = 5;
				n.dim[4] = 1;
				n.dim[5] = 2;
			}), new String[] { "5-D image" }),
			Arguments.of("complex64", header(n -> n.datatype = 32), new String[] { "complex64", "not supported", "int16" }),
			Arguments.of("RGB24", header(n -> n.datatype = 128), new String[] { "RGB24", "not supported" }),
			Arguments.of("unknown datatype", header(n -> n.datatype = 0), new String[] { "unknown (0)", "not supported" }),
			Arguments.of("NaN spacing", header(n -> n.pixdim[2] = Float.NaN), new String[] { "pixdim[2] = NaN", "finite" }),
			Arguments.of("infinite spacing", header(n -> n.pixdim[3] = Float.POSITIVE_INFINITY), new String[] { "pixdim[3] = Infinity" }),
			Arguments.of("vox_offset inside header", header(n -> n.voxOffset = 100), new String[] { "vox_offset 100", "352" }),
			Arguments.of("non-finite intercept", header(n -> {
				n.sclSlope = 2;
				n.sclInter = Float.NaN;
			}), new String[] { "scl_inter", "finite" }),
			Arguments.of("NaN in sform", header(n -> {
				n.sformCode = 1;
				n.srow[1][3] = Float.NaN;
			}), new String[] { "sform" }),
			Arguments.of("quaternion too long", header(n -> {
				n.qformCode = 1;
				n.quatern = new float[] { 0.8f, 0.8f, 0 };
			}), new String[] { "qform", "norm above 1" }),
			Arguments.of("absurd size", header(n -> {
				n.dim = new short[] { 3, 32767, 32767, 32767, 1, 1, 1, 1 };
				n.datatype = NiftiDatatype.FLOAT64.code();
				n.data = new byte[0];
			}), new String[] { "needs 262120.0 GiB", "32767×32767×32767", "float64", "-Xmx" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badFiles")
	void refusesWithMessageNamingFileAndProblem(final String label, final BadFile bad, final String[] expected) throws IOException {
		final Path file = bad.make(dir);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> NiftiReader.read(file));
		assertMessage(e, file, expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badFiles")
	void headerOnlyReadRefusesBadHeadersToo(final String label, final BadFile bad, final String[] expected) throws IOException {
		final Path file = bad.make(dir);
		final boolean dataProblem = label.contains("data") || label.contains("gzip") || label.contains("absurd");
		if (dataProblem) return; // the header itself is fine; only a full read sees these
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> NiftiReader.readHeader(file));
		assertMessage(e, file, expected);
	}

	private static void assertMessage(final InvalidInputException e, final Path file, final String[] expected) {
		final String m = e.getMessage();
		assertTrue(m.contains(file.toString()), "message names the file: " + m);
		for (final String s : expected)
			assertTrue(m.contains(s), "message contains \"" + s + "\": " + m);
	}
}
