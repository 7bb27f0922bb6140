package io.github.unet3p.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgFactory;
import net.imglib2.img.planar.PlanarImgFactory;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.LongType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VolumeTest {

	static Stream<Arguments> types() {
		return Stream.of(Arguments.of("int16", (Supplier<?>) ShortType::new), Arguments.of("uint16", (Supplier<?>) UnsignedShortType::new),
				Arguments.of("int8", (Supplier<?>) ByteType::new), Arguments.of("uint8", (Supplier<?>) UnsignedByteType::new),
				Arguments.of("int32", (Supplier<?>) IntType::new), Arguments.of("uint32", (Supplier<?>) UnsignedIntType::new),
				Arguments.of("int64", (Supplier<?>) LongType::new), Arguments.of("float32", (Supplier<?>) FloatType::new),
				Arguments.of("float64", (Supplier<?>) DoubleType::new));
	}

	/**
	 * A planar image (what NiftiReader builds; its planes are copied straight from their arrays)
	 * gives exactly the values of the same voxels in an array image (read through ImgLib2's cursor),
	 * for every NIfTI voxel type, with the full range of each type and a non-trivial scaling.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("types")
	<T extends NativeType<T> & RealType<T>> void planarSlicesEqualTheGenericPath(final String name, final Supplier<T> type) {
		final int sizeI = 7, sizeJ = 5, sizeK = 3;
		final Img<T> planar = new PlanarImgFactory<>(type.get()).create(sizeI, sizeJ, sizeK);
		final Img<T> array = new ArrayImgFactory<>(type.get()).create(sizeI, sizeJ, sizeK);
		final Random rnd = new Random(name.hashCode());
		final T t = type.get();
		final Cursor<T> p = planar.cursor(), a = array.cursor();
		while (p.hasNext()) {
			final double v = t.getMinValue() + rnd.nextDouble() * (t.getMaxValue() - t.getMinValue());
			p.next().setReal(v);
			a.next().setReal(v);
		}
		final VolumeGeometry g = VolumeGeometry.ofSpacing(1, 1, 1);
		final Volume fast = new Volume(planar, 0.75, -1024.5, g), generic = new Volume(array, 0.75, -1024.5, g);
		final double[] expected = new double[sizeI * sizeJ], got = new double[sizeI * sizeJ];
		for (int k = 0; k < sizeK; k++) {
			generic.axialSlice(k, expected);
			fast.axialSlice(k, got);
			assertArrayEquals(expected, got, 0.0, name + " slice " + k);
		}
	}
}
