package io.github.unet3p.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

class NiftiRoundTripTest {

	@TempDir
	Path dir;

	@Test
	void smoke() {
		final short[] v = new short[2 * 3 * 4];
		for (int i = 0; i < v.length; i++)
			v[i] = (short) (i * 100 - 1000);
		final Volume vol = new Volume(ArrayImgs.shorts(v, 2, 3, 4), 2, -1024, VolumeGeometry.ofSpacing(0.5, 0.75, 2.5));
		final Path f = dir.resolve("a.nii.gz");
		NiftiWriter.write(f, vol);
		final NiftiImage img = NiftiReader.read(f);
		assertArrayEquals(new long[] { 2, 3, 4 }, img.volume().dimensions());
		assertEquals(2, img.volume().slope());
		assertEquals(-1024, img.volume().intercept());
		int i = 0;
		for (final RealType<?> t : Views.flatIterable(img.volume().raw()))
			assertEquals(v[i++], t.getRealDouble());
		assertEquals(vol.geometry(), img.volume().geometry());
	}
}
