package io.github.unet3p.core.volume.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NiftiDatatypeTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource({
		"UINT8, 2, 8, UnsignedByteType",
		"INT8, 256, 8, ByteType",
		"INT16, 4, 16, ShortType",
		"UINT16, 512, 16, UnsignedShortType",
		"INT32, 8, 32, IntType",
		"UINT32, 768, 32, UnsignedIntType",
		"INT64, 1024, 64, LongType",
		"UINT64, 1280, 64, UnsignedLongType",
		"FLOAT32, 16, 32, FloatType",
		"FLOAT64, 64, 64, DoubleType" })
	void codesSizesAndTypesFollowTheNifti1Standard(final NiftiDatatype t, final int code, final int bitpix, final String type) {
		assertEquals(code, t.code());
		assertEquals(bitpix, t.bitpix());
		assertEquals(type, t.typeClass().getSimpleName());
		assertSame(t.typeClass(), t.newType().getClass());
		assertSame(t, NiftiDatatype.ofCode(code).orElseThrow());
		assertSame(t, NiftiDatatype.forType(t.newType()));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "0, unknown", "1, binary", "32, complex64", "128, RGB24", "1536, float128", "1792, complex128", "2304, RGBA32", "7, code 7" })
	void unsupportedCodesAreNamed(final int code, final String name) {
		assertTrue(NiftiDatatype.ofCode(code).isEmpty());
		assertTrue(NiftiDatatype.describe(code).startsWith(name), NiftiDatatype.describe(code));
	}
}
