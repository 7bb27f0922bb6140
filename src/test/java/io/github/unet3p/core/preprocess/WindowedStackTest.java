package io.github.unet3p.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.Volume;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import net.imglib2.RandomAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.integer.UnsignedByteType;

import org.junit.jupiter.api.Test;

class WindowedStackTest {

	@Test
	void stackHoldsTheSameImagesThePreparerWrites() {
		final Random rnd = new Random(5);
		final Volume ct = SlicePreparerTest.volume(10, 9, 4, (i, j, k) -> rnd.nextInt(700) - 350);
		final PreprocessSettings s = PreprocessSettings.builder().optSize(20).build();
		final PlanarImg<UnsignedByteType, ByteArray> stack = WindowedStack.of(ct, s, 2, ProgressListener.NONE, Cancellation.none());
		assertArrayEquals(new long[] { 20, 20, 3, 4 }, stack.dimensionsAsLongArray());
		final Map<Integer, SliceImage> written = new ConcurrentHashMap<>();
		SlicePreparer.of(s, ct).prepare(ct, null, (k, img, mask) -> written.put(k, img), null, 1, "t", ProgressListener.NONE, Cancellation.none());
		final RandomAccess<UnsignedByteType> ra = stack.randomAccess();
		for (int k = 0; k < 4; k++)
			for (int c = 0; c < 3; c++)
				for (int y = 0; y < 20; y++)
					for (int x = 0; x < 20; x++) {
						ra.setPosition(new long[] { x, y, c, k });
						assertEquals(written.get(k).get(x, y, c), ra.get().get(), "(" + x + ", " + y + ", " + c + ", " + k + ")");
					}
	}
}
