package io.github.unet3p.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.preprocess.SlicePreparer;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

class VolumeSegmenterTest {

	static final VolumeGeometry GEOMETRY = new VolumeGeometry(new double[] { 0.5, 0.8, 2.0 },
			new double[][] { { 0, -0.8, 0, 120 }, { -0.5, 0, 0, 30 }, { 0, 0, 2.0, -400 }, { 0, 0, 0, 1 } });

	/** A CT of air (−1000 HU) with boxes of tissue painted in by {@link #box}. */
	static ArrayImg<ShortType, ShortArray> air(final int sizeI, final int sizeJ, final int sizeK) {
		return filled(sizeI, sizeJ, sizeK, -1000);
	}

	static ArrayImg<ShortType, ShortArray> filled(final int sizeI, final int sizeJ, final int sizeK, final int hu) {
		final ArrayImg<ShortType, ShortArray> img = ArrayImgs.shorts(sizeI, sizeJ, sizeK);
		for (final ShortType v : img)
			v.set((short) hu);
		return img;
	}

	/** Sets [i0, i1) × [j0, j1) × [k0, k1) to {@code hu}. */
	static void box(final ArrayImg<ShortType, ShortArray> img, final int hu, final int i0, final int i1, final int j0, final int j1, final int k0,
			final int k1) {
		final RandomAccess<ShortType> ra = img.randomAccess();
		for (int k = k0; k < k1; k++)
			for (int j = j0; j < j1; j++)
				for (int i = i0; i < i1; i++) {
					ra.setPosition(new int[] { i, j, k });
					ra.get().set((short) hu);
				}
	}

	static int at(final RandomAccessibleInterval<? extends RealType<?>> img, final int i, final int j, final int k) {
		final RandomAccess<? extends RealType<?>> ra = img.randomAccess();
		ra.setPosition(new int[] { i, j, k });
		return (int) ra.get().getRealDouble();
	}

	static byte[] voxels(final SegmentationResult r) {
		final long[] d = r.labels().dimensions();
		final byte[] out = new byte[(int) (d[0] * d[1] * d[2])];
		int idx = 0;
		for (final UnsignedByteType v : Views.flatIterable(r.labelImage()))
			out[idx++] = (byte) v.get();
		return out;
	}

	static PreprocessSettings prep(final int size) {
		return PreprocessSettings.builder().optSize(size).build();
	}

	static SegmentationResult segment(final ArrayImg<ShortType, ShortArray> ct, final ProbabilityModel model, final InferenceSettings s) {
		return VolumeSegmenter.segment(Volume.of(ct, GEOMETRY), prep(model.size()), model, s, ProgressListener.NONE, Cancellation.none());
	}

	/** The L-shaped blob of {@link #blobComesBackWhereItWasInTheOriginalGrid}, in-plane. */
	static boolean inBlob(final int i, final int j) {
		return i >= 4 && i < 20 && j >= 2 && j < 10 || i >= 4 && i < 9 && j >= 10 && j < 26;
	}

	@Test
	void blobComesBackWhereItWasInTheOriginalGrid() {
		// I ≠ J ≠ size, an asymmetric L off the centre: a transposed, mirrored or shifted result
		// cannot satisfy the containment checks below. NB: the contrast lies inside the HU window
		// (−200 … 250), so "G > 0.5" is the half-way point of the edge, not a clipped part of it.
		final int sizeI = 48, sizeJ = 30, sizeK = 5;
		final ArrayImg<ShortType, ShortArray> ct = filled(sizeI, sizeJ, sizeK, -200);
		box(ct, 250, 4, 20, 2, 10, 1, 4);
		box(ct, 250, 4, 9, 10, 26, 1, 4);
		final SegmentationResult r = segment(ct, FakeModels.brightIsForeground(32), InferenceSettings.defaults());

		assertArrayEquals(new long[] { sizeI, sizeJ, sizeK }, r.labels().dimensions());
		assertEquals(GEOMETRY, r.labels().geometry());
		assertTrue(r.labels().raw().getType() instanceof UnsignedByteType);
		long both = 0, predicted = 0, truth = 0;
		for (int k = 0; k < sizeK; k++)
			for (int j = 0; j < sizeJ; j++)
				for (int i = 0; i < sizeI; i++) {
					final int label = at(r.labelImage(), i, j, k);
					final boolean blob = k >= 1 && k < 4 && inBlob(i, j);
					final boolean interior = blob && inBlob(i - 1, j) && inBlob(i + 1, j) && inBlob(i, j - 1) && inBlob(i, j + 1);
					boolean near = false;
					for (int dj = -1; dj <= 1; dj++)
						for (int di = -1; di <= 1; di++)
							near |= k >= 1 && k < 4 && inBlob(i + di, j + dj);
					if (interior) assertEquals(1, label, "blob interior at " + i + "," + j + "," + k);
					if (!near) assertEquals(0, label, "far from the blob at " + i + "," + j + "," + k);
					if (label == 1 && blob) both++;
					if (label == 1) predicted++;
					if (blob) truth++;
				}
		assertTrue(2.0 * both / (predicted + truth) > 0.9, "Dice " + 2.0 * both / (predicted + truth));
	}

	@Test
	void aKnownSquareOfThePreparedSliceLandsInTheRotatedCorner() {
		// the model marks rows [0, 16) × columns [0, 8) of the 32² prepared slice: rows are
		// j reversed (rot90), columns are i, so in the 40 × 48 input grid that is i < 10, j ≥ 24
		final ArrayImg<ShortType, ShortArray> ct = air(40, 48, 3);
		final SegmentationResult r = segment(ct, FakeModels.square(32, 16, 8), InferenceSettings.defaults());
		for (int k = 0; k < 3; k++)
			for (int j = 0; j < 48; j++)
				for (int i = 0; i < 40; i++)
					assertEquals(i < 10 && j >= 24 ? 1 : 0, at(r.labelImage(), i, j, k), "at " + i + "," + j + "," + k);
		assertEquals(10 * 24 * 3, r.foregroundVoxels());
	}

	/** Slice k holds a box whose width grows with k, so every slice differs. */
	static ArrayImg<ShortType, ShortArray> staircase(final int sizeK) {
		final ArrayImg<ShortType, ShortArray> ct = air(36, 28, sizeK);
		for (int k = 0; k < sizeK; k++)
			box(ct, 60, 3, 6 + 3 * k, 5, 20, k, k + 1);
		return ct;
	}

	@ParameterizedTest(name = "batch {0}")
	@ValueSource(ints = { 1, 3, 4, 7, 20 })
	void batchingDoesNotChangeTheResult(final int batch) {
		final int sizeK = 7;
		final ArrayImg<ShortType, ShortArray> ct = staircase(sizeK);
		final byte[] reference = voxels(segment(ct, FakeModels.brightIsForeground(32), InferenceSettings.builder().optBatch(1).build()));
		final FakeModels.Recording model = new FakeModels.Recording(FakeModels.brightIsForeground(32));
		final List<Long> progress = new ArrayList<>();
		final ProgressListener listener = new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {
				assertEquals(sizeK, total);
				progress.add(done);
			}

			@Override
			public void message(final String text) {}
		};
		final SegmentationResult r = VolumeSegmenter.segment(Volume.of(ct, GEOMETRY), prep(32), model,
				InferenceSettings.builder().optBatch(batch).build(), listener, Cancellation.none());
		assertArrayEquals(reference, voxels(r));
		final List<Integer> expected = new ArrayList<>();
		final List<Long> done = new ArrayList<>();
		for (int start = 0; start < sizeK; start += batch) {
			expected.add(Math.min(batch, sizeK - start));
			done.add((long) Math.min(start + batch, sizeK));
		}
		assertEquals(expected, model.batches);
		assertEquals(done, progress);
		assertTrue(r.foregroundVoxels() > 0);
	}

	@Test
	void channelsAreTheNeighbouringSlicesClampedAtTheEnds() {
		final int sizeK = 5;
		final FakeModels.Recording model = new FakeModels.Recording(FakeModels.brightIsForeground(32));
		segment(staircase(sizeK), model, InferenceSettings.builder().optBatch(2).build());
		assertEquals(sizeK, model.slices.size());
		for (int k = 0; k < sizeK; k++) {
			final float[][] ch = model.slices.get(k);
			assertArrayEquals(model.slices.get(Math.max(k - 1, 0))[1], ch[0], "R of slice " + k);
			assertArrayEquals(model.slices.get(Math.min(k + 1, sizeK - 1))[1], ch[2], "B of slice " + k);
			if (k > 0) assertFalse(Arrays.equals(ch[0], ch[1]), "slices differ");
			for (final float v : ch[1])
				assertTrue(v >= 0 && v <= 1);
		}
	}

	@Test
	void everySliceIsPreparedOnceInOrder() {
		final int sizeK = 9;
		final ArrayImg<ShortType, ShortArray> ct = staircase(sizeK);
		final Volume v = Volume.of(ct, GEOMETRY);
		final SlicePreparer preparer = SlicePreparer.of(prep(32), v);
		final SlicePreparer.Workspace ws = preparer.newWorkspace();
		final List<Integer> prepared = new ArrayList<>();
		VolumeSegmenter.segment(v, k -> {
			prepared.add(k);
			return preparer.imagePlane(v, k, ws);
		}, FakeModels.brightIsForeground(32), InferenceSettings.builder().optBatch(4).build(), ProgressListener.NONE, Cancellation.none());
		assertEquals(IntStream.range(0, sizeK).boxed().toList(), prepared);
	}

	static ArrayImg<ShortType, ShortArray> mirrorI(final ArrayImg<ShortType, ShortArray> ct) {
		final long[] d = ct.dimensionsAsLongArray();
		final ArrayImg<ShortType, ShortArray> out = ArrayImgs.shorts(d);
		final RandomAccess<ShortType> src = ct.randomAccess(), dst = out.randomAccess();
		for (int k = 0; k < d[2]; k++)
			for (int j = 0; j < d[1]; j++)
				for (int i = 0; i < d[0]; i++) {
					src.setPosition(new int[] { (int) d[0] - 1 - i, j, k });
					dst.setPosition(new int[] { i, j, k });
					dst.get().set(src.get());
				}
		return out;
	}

	static byte[] mirrorI(final byte[] labels, final int sizeI) {
		final byte[] out = new byte[labels.length];
		for (int row = 0; row < labels.length; row += sizeI)
			for (int i = 0; i < sizeI; i++)
				out[row + i] = labels[row + sizeI - 1 - i];
		return out;
	}

	@Test
	void flipAugmentationMakesAnyModelMirrorSymmetric() {
		// I = size keeps the column axis free of resampling, so mirroring the input mirrors the
		// prepared slices exactly; the model favours the right side
		final int size = 24;
		final ArrayImg<ShortType, ShortArray> ct = air(size, 40, 3);
		box(ct, 80, 2, 10, 5, 30, 0, 3);
		box(ct, 40, 14, 22, 8, 20, 1, 2);
		final ArrayImg<ShortType, ShortArray> mirrored = mirrorI(ct);
		final ProbabilityModel model = FakeModels.leftShy(size);

		final InferenceSettings plain = InferenceSettings.defaults(), tta = InferenceSettings.builder().optTtaFlip(true).build();
		assertNotEquals(Arrays.toString(mirrorI(voxels(segment(ct, model, plain)), size)), Arrays.toString(voxels(segment(mirrored, model, plain))),
				"the model itself is not mirror symmetric");
		final byte[] withTta = voxels(segment(ct, model, tta));
		assertArrayEquals(mirrorI(withTta, size), voxels(segment(mirrored, model, tta)));
		assertTrue(Arrays.equals(withTta, voxels(segment(ct, FakeModels.leftShy(size), tta))));
	}

	@Test
	void flipAugmentationLeavesASymmetricModelUnchanged() {
		final ArrayImg<ShortType, ShortArray> ct = staircase(4);
		final ProbabilityModel model = FakeModels.brightIsForeground(32);
		final FakeModels.Recording recording = new FakeModels.Recording(model);
		final byte[] tta = voxels(segment(ct, recording, InferenceSettings.builder().optTtaFlip(true).optBatch(4).build()));
		assertArrayEquals(voxels(segment(ct, model, InferenceSettings.defaults())), tta);
		assertEquals(List.of(4, 4), recording.batches, "one plain and one mirrored call per batch");
	}

	@Test
	void largestComponentKeepsOnlyTheBiggestBlob() {
		final ArrayImg<ShortType, ShortArray> ct = air(32, 32, 6);
		box(ct, 100, 2, 14, 2, 14, 1, 5);
		box(ct, 100, 20, 26, 20, 26, 2, 4);
		final ProbabilityModel model = FakeModels.brightIsForeground(32);
		final SegmentationResult all = segment(ct, model, InferenceSettings.defaults());
		assertEquals(12 * 12 * 4 + 6 * 6 * 2, all.foregroundVoxels());
		final SegmentationResult largest = segment(ct, model, InferenceSettings.builder().optLargestComponent(true).build());
		assertEquals(12 * 12 * 4, largest.foregroundVoxels());
		assertEquals(1, at(largest.labelImage(), 5, 5, 2));
		assertEquals(0, at(largest.labelImage(), 22, 22, 2));
		assertEquals(12 * 12 * 4 * 0.5 * 0.8 * 2.0 / 1000, largest.foregroundMl(), 1e-12);
	}

	@ParameterizedTest(name = "cavity open: {0}")
	@ValueSource(booleans = { false, true })
	void fillHolesFillsAnEnclosedCavityOnly(final boolean open) {
		final ArrayImg<ShortType, ShortArray> ct = air(32, 32, 7);
		box(ct, 100, 4, 20, 4, 20, 1, 6);
		box(ct, -1000, 7, 17, 7, open ? 20 : 17, 2, 5);
		final ProbabilityModel model = FakeModels.brightIsForeground(32);
		final long shell = segment(ct, model, InferenceSettings.defaults()).foregroundVoxels();
		assertEquals(16 * 16 * 5 - 10 * (open ? 13 : 10) * 3, shell);
		final SegmentationResult filled = segment(ct, model, InferenceSettings.builder().optFillHoles(true).build());
		assertEquals(open ? shell : 16 * 16 * 5, filled.foregroundVoxels());
		assertEquals(open ? 0 : 1, at(filled.labelImage(), 12, 12, 3));
	}

	@Test
	void cancellationStopsBetweenBatches() {
		final Cancellation cancel = new Cancellation();
		final FakeModels.Recording model = new FakeModels.Recording(FakeModels.brightIsForeground(32), call -> {
			if (call == 2) cancel.cancel();
			return 0;
		});
		final List<Long> progress = new ArrayList<>();
		final ProgressListener listener = new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {
				progress.add(done);
			}

			@Override
			public void message(final String text) {}
		};
		assertThrows(CancelledException.class, () -> VolumeSegmenter.segment(Volume.of(staircase(10), GEOMETRY), prep(32), model,
				InferenceSettings.builder().optBatch(2).build(), listener, cancel));
		assertEquals(List.of(2, 2), model.batches, "the batch in flight finishes, no further batch starts");
		assertEquals(List.of(2L, 4L), progress);
	}

	@Test
	void probabilitiesComeBackInTheInputGridAndAgreeWithTheLabels() {
		final ArrayImg<ShortType, ShortArray> ct = air(40, 30, 3);
		box(ct, 100, 5, 25, 4, 12, 0, 3);
		final SegmentationResult r = segment(ct, FakeModels.brightIsForeground(32), InferenceSettings.builder().optProbabilities(true).build());
		assertEquals(2, r.probabilities().size());
		for (final Volume p : r.probabilities()) {
			assertArrayEquals(new long[] { 40, 30, 3 }, p.dimensions());
			assertEquals(GEOMETRY, p.geometry());
		}
		final RandomAccess<? extends RealType<?>> p0 = r.probabilities().get(0).raw().randomAccess(), p1 = r.probabilities().get(1).raw().randomAccess();
		int fg = 0;
		for (int k = 0; k < 3; k++)
			for (int j = 0; j < 30; j++)
				for (int i = 0; i < 40; i++) {
					final int[] pos = { i, j, k };
					p0.setPosition(pos);
					p1.setPosition(pos);
					final double a = p0.get().getRealDouble(), b = p1.get().getRealDouble();
					assertEquals(1, a + b, 1e-6);
					assertEquals(b > a ? 1 : 0, at(r.labelImage(), i, j, k));
					fg += b > a ? 1 : 0;
				}
		assertTrue(fg > 0);
		assertTrue(segment(ct, FakeModels.brightIsForeground(32), InferenceSettings.defaults()).probabilities().isEmpty());
	}

	@Test
	void oneSigmoidChannelIsThresholdedAtOneHalf() {
		final ArrayImg<ShortType, ShortArray> ct = air(40, 30, 3);
		box(ct, 100, 5, 25, 4, 12, 0, 3);
		final SegmentationResult softmax = segment(ct, FakeModels.brightIsForeground(32), InferenceSettings.defaults());
		final SegmentationResult sigmoid = segment(ct, FakeModels.sigmoid(32), InferenceSettings.builder().optProbabilities(true).build());
		assertEquals(1, sigmoid.probabilities().size());
		assertArrayEquals(voxels(softmax), voxels(sigmoid));
	}

	@Test
	void refusesAModelWhoseSizeDiffersFromThePreprocessing() {
		final Volume v = Volume.of(air(20, 20, 2), GEOMETRY);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> VolumeSegmenter.segment(v, prep(48),
				FakeModels.brightIsForeground(32), InferenceSettings.defaults(), ProgressListener.NONE, Cancellation.none()));
		assertTrue(e.getMessage().contains("size=48"), e.getMessage());
	}

	@Test
	void refusesProbabilityVolumesLargerThanTheHeapBeforeAllocating() {
		// a lazy 4000 × 4000 × 20000 volume: its labels alone would need 320 GB
		final Volume huge = Volume.of(Views.interval(Views.extendZero(ArrayImgs.shorts(1, 1, 1)), new long[] { 0, 0, 0 },
				new long[] { 3999, 3999, 19999 }), GEOMETRY);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> VolumeSegmenter.segment(huge, prep(32),
				FakeModels.brightIsForeground(32), InferenceSettings.builder().optProbabilities(true).build(), ProgressListener.NONE,
				Cancellation.none()));
		assertTrue(e.getMessage().contains("probabilities"), e.getMessage());
	}

	@Test
	void refusesAModelThatReturnsTheWrongAmount() {
		final ProbabilityModel broken = new ProbabilityModel() {
			@Override
			public int size() {
				return 32;
			}

			@Override
			public int classes() {
				return 2;
			}

			@Override
			public float[] predict(final float[] in, final int batch) {
				return new float[32 * 32];
			}
		};
		assertThrows(IllegalStateException.class, () -> segment(air(20, 20, 2), broken, InferenceSettings.defaults()));
	}
}
