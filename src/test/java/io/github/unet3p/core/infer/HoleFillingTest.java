package io.github.unet3p.core.infer;

import static io.github.unet3p.core.infer.ConnectedComponentsTest.box;
import static io.github.unet3p.core.infer.ConnectedComponentsTest.get;
import static io.github.unet3p.core.infer.ConnectedComponentsTest.set;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;

class HoleFillingTest {

	/** A 7×7×7 shell one voxel thick around a 5×5×5 cavity, at (2..8)³ in an 11³ volume. */
	static PlanarImg<UnsignedByteType, ByteArray> shell() {
		final PlanarImg<UnsignedByteType, ByteArray> m = PlanarImgs.unsignedBytes(11, 11, 11);
		box(m, 1, 2, 2, 2, 8, 8, 8);
		box(m, 0, 3, 3, 3, 7, 7, 7);
		return m;
	}

	static long foreground(final Iterable<UnsignedByteType> m) {
		long n = 0;
		for (final UnsignedByteType v : m)
			if (v.get() != 0) n++;
		return n;
	}

	@Test
	void fillsAnEnclosedCavity() {
		final PlanarImg<UnsignedByteType, ByteArray> m = shell();
		assertEquals(125, HoleFilling.fill(m));
		assertEquals(7 * 7 * 7, foreground(m));
		assertEquals(1, get(m, 5, 5, 5));
		assertEquals(0, get(m, 1, 5, 5));
	}

	@Test
	void leavesACavityOpenThroughOneWallVoxel() {
		final PlanarImg<UnsignedByteType, ByteArray> m = shell();
		set(m, 0, 8, 5, 5);
		final long before = foreground(m);
		assertEquals(0, HoleFilling.fill(m));
		assertEquals(before, foreground(m));
		assertEquals(0, get(m, 5, 5, 5));
	}

	@Test
	void leavesACavityOpenToTheFirstSlice() {
		// a cup whose open side is the volume face k = 0
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(7, 7, 5);
		box(m, 1, 1, 1, 0, 5, 5, 3);
		box(m, 0, 2, 2, 0, 4, 4, 2);
		assertEquals(0, HoleFilling.fill(m));
		assertEquals(0, get(m, 3, 3, 1));
	}

	@Test
	void fillsEveryEnclosedCavityWithTheGivenValueAndKeepsOtherValues() {
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(12, 5, 5);
		box(m, 2, 0, 0, 1, 4, 4, 3);
		set(m, 0, 2, 2, 2); // a one-voxel hole
		box(m, 1, 6, 1, 1, 10, 3, 3);
		box(m, 0, 7, 2, 2, 9, 2, 2); // a three-voxel hole
		assertEquals(4, HoleFilling.fill(m, 3));
		assertEquals(3, get(m, 2, 2, 2));
		assertEquals(3, get(m, 8, 2, 2));
		assertEquals(2, get(m, 0, 0, 1));
		assertEquals(1, get(m, 6, 1, 1));
	}

	@Test
	void treatsADiagonalGapAsClosed() {
		// a 2-D ring in one slice, sealed above and below, whose only gap is diagonal: the cavity
		// is not 6-connected to the outside, so it is a hole of the 26-connected foreground
		final ArrayImg<UnsignedByteType, ByteArray> m = ArrayImgs.unsignedBytes(7, 7, 5);
		box(m, 1, 1, 1, 1, 5, 5, 3);
		box(m, 0, 2, 2, 2, 4, 4, 2);
		box(m, 0, 5, 5, 2, 5, 5, 2); // remove the ring's corner: the gap at (5, 5) touches the cavity only diagonally
		set(m, 0, 6, 6, 2);
		assertEquals(9, HoleFilling.fill(m));
	}
}
