package io.github.unet3p.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.nifti.NiftiImage;
import io.github.unet3p.core.volume.nifti.NiftiReader;
import io.github.unet3p.core.volume.Volume;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

class SyntheticDatasetTest {

	private static final SyntheticCtSettings SMALL = SyntheticCtSettings.builder().setCount(2).setSeed(9).optSize(48).optSlices(12).build();

	@Test
	void writesLitsLayoutThatReadsBackVoxelForVoxel(@TempDir final Path dir) {
		final List<Path> files = SyntheticDataset.write(dir, SMALL, ProgressListener.NONE, Cancellation.none());
		assertEquals(List.of(dir.resolve("volume-0.nii.gz"), dir.resolve("segmentation-0.nii.gz"), dir.resolve("volume-1.nii.gz"),
			dir.resolve("segmentation-1.nii.gz")), files);
		for (int n = 0; n < 2; n++) {
			final SyntheticCase expected = RandSyntheticCt.generate(SMALL, n);
			final NiftiImage ct = NiftiReader.read(dir.resolve(SyntheticDataset.volumeName(n)));
			final NiftiImage labels = NiftiReader.read(dir.resolve(SyntheticDataset.segmentationName(n)));
			assertEquals(4, ct.header().datatypeCode(), "int16");
			assertEquals(2, labels.header().datatypeCode(), "uint8");
			assertArrayEquals(values(expected.ct()), values(ct.volume()));
			assertArrayEquals(values(expected.labels()), values(labels.volume()));
			assertArrayEquals(expected.ct().geometry().spacing(), ct.volume().geometry().spacing(), 1e-6);
			assertArrayEquals(expected.ct().geometry().affine()[0], ct.volume().geometry().affine()[0], 1e-4);
			assertArrayEquals(expected.ct().geometry().affine()[1], labels.volume().geometry().affine()[1], 1e-4);
		}
	}

	@Test
	void cancellingKeepsTheCasesAlreadyWritten(@TempDir final Path dir) throws IOException {
		final Cancellation cancel = new Cancellation();
		final ProgressListener cancelAfterFirst = new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {
				if (done == 1) cancel.cancel();
			}

			@Override
			public void message(final String text) {}
		};
		assertThrows(CancelledException.class, () -> SyntheticDataset.write(dir, SMALL, cancelAfterFirst, cancel));
		try (Stream<Path> list = Files.list(dir)) {
			assertEquals(List.of("segmentation-0.nii.gz", "volume-0.nii.gz"), list.map(p -> p.getFileName().toString()).sorted().toList());
		}
	}

	@Test
	void aFileInPlaceOfTheFolderIsRefusedByName(@TempDir final Path dir) throws IOException {
		final Path file = Files.writeString(dir.resolve("out"), "x");
		final InvalidInputException e = assertThrows(InvalidInputException.class,
			() -> SyntheticDataset.write(file, SMALL, ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
	}

	private static double[] values(final Volume v) {
		final double[] out = new double[(int) Views.iterable(v.raw()).size()];
		int p = 0;
		for (final RealType<?> t : Views.flatIterable(v.values()))
			out[p++] = t.getRealDouble();
		return out;
	}
}
