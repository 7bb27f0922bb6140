package io.github.unet3p.core.infer;

import java.util.ArrayList;
import java.util.List;

import io.github.unet3p.core.preprocess.ChannelStacker;
import io.github.unet3p.core.preprocess.PreprocessKeys;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.preprocess.SlicePreparer;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import net.imglib2.img.Img;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Segments a CT volume slice by slice with a {@link ProbabilityModel} and returns labels in the
 * input's own voxel grid.
 *
 * <p>Per batch of consecutive axial slices: each slice is prepared exactly like the training data
 * ({@link SlicePreparer}: rot90, cubic resize to size × size, HU window, per-slice 0…255 uint8),
 * stacked as (k−1, k, k+1) and divided by 255; the model's class probabilities are optionally
 * averaged with those of the horizontally mirrored input (mirrored back); then every class map is
 * resized bilinearly to the rotated slice's J × I (OpenCV INTER_LINEAR: half-pixel centres,
 * replicated border, see {@link BilinearResize}), the rot90 is undone and the argmax over classes
 * (&gt; 0.5 for one sigmoid channel) gives the uint8 label. After the last batch the optional
 * post-processing runs: {@code largest_component}, then {@code fill_holes}.
 *
 * <p>NB: probabilities are resampled and the argmax is taken in the input grid, not labels
 * resampled by nearest neighbour: that would shift the boundary by up to half a model pixel.
 *
 * <p>Memory: one batch of model inputs and outputs, the prepared uint8 planes of the batch ± 1
 * slice, the uint8 label volume and, if asked, one float volume per class. Never the whole
 * prepared volume.
 */
public final class VolumeSegmenter {

	/** The name progress is reported under. */
	public static final String TASK = "Segmenting";

	private static final float[] UNIT = new float[256];
	static {
		// NB: the seed feeds uint8 / 255 computed in float64 and cast to float32; so do we.
		for (int u = 0; u < 256; u++)
			UNIT[u] = (float) (u / 255.0);
	}

	private VolumeSegmenter() {}

	/**
	 * Segments {@code ct}.
	 *
	 * @param ct the CT volume (values in HU after the file's scaling)
	 * @param prep the preprocessing the model was trained with (its {@code size} must be the model's)
	 * @param model the network
	 * @param settings batch, test-time flipping, post-processing, probability output
	 * @param progress receives slices done / total after every batch, under {@link #TASK}
	 * @param cancellation checked before every batch and before post-processing
	 * @return labels (and probabilities) in the input's grid and geometry
	 * @throws InvalidInputException if the model's size differs from {@code prep}'s, the model has
	 *             no or more than 255 classes, or the volume or batch is too large to hold
	 * @throws io.github.unet3p.core.util.CancelledException if cancelled
	 */
	public static SegmentationResult segment(final Volume ct, final PreprocessSettings prep, final ProbabilityModel model,
			final InferenceSettings settings, final ProgressListener progress, final Cancellation cancellation) {
		if (model.size() != prep.size())
			throw new InvalidInputException("the model takes " + model.size() + "×" + model.size() + " slices but its preprocessing says "
					+ PreprocessKeys.SIZE + "=" + prep.size() + "; the model bundle is inconsistent");
		final SlicePreparer preparer = SlicePreparer.of(prep, ct);
		final SlicePreparer.Workspace ws = preparer.newWorkspace();
		return segment(ct, k -> preparer.imagePlane(ct, k, ws), model, settings, progress, cancellation);
	}

	/** {@link #segment(Volume, PreprocessSettings, ProbabilityModel, InferenceSettings, ProgressListener, Cancellation)} with the planes from {@code source}. */
	static SegmentationResult segment(final Volume ct, final SliceWindow.PlaneSource source, final ProbabilityModel model,
			final InferenceSettings settings, final ProgressListener progress, final Cancellation cancellation) {
		final int sizeI = ct.size(0), sizeJ = ct.size(1), sizeK = ct.size(2);
		final int size = model.size(), classes = model.classes();
		check(sizeI, sizeJ, sizeK, size, classes, settings);
		final int area = size * size, batch = Math.min(settings.batch(), sizeK);

		final PlanarImg<UnsignedByteType, ByteArray> labels = PlanarImgs.unsignedBytes(sizeI, sizeJ, sizeK);
		final List<PlanarImg<FloatType, FloatArray>> probabilities = new ArrayList<>();
		if (settings.probabilities())
			for (int c = 0; c < classes; c++)
				probabilities.add(PlanarImgs.floats(sizeI, sizeJ, sizeK));

		final float[] full = new float[batch * ProbabilityModel.CHANNELS * area];
		final SliceWindow window = new SliceWindow(source);
		final SliceMapper mapper = new SliceMapper(size, classes, sizeI, sizeJ);
		final float[][] probPlanes = settings.probabilities() ? new float[classes][] : null;
		for (int start = 0; start < sizeK; start += batch) {
			cancellation.check(TASK);
			final int n = Math.min(batch, sizeK - start);
			final float[] input = n == batch ? full : new float[n * ProbabilityModel.CHANNELS * area];
			for (int b = 0; b < n; b++)
				for (int ch = 0; ch < ProbabilityModel.CHANNELS; ch++) {
					final byte[] plane = window.plane(ChannelStacker.neighbour(start + b, ch, sizeK));
					final int offset = (b * ProbabilityModel.CHANNELS + ch) * area;
					for (int p = 0; p < area; p++)
						input[offset + p] = UNIT[plane[p] & 0xff];
				}
			window.forgetBelow(start + n - 1);
			float[] output = predict(model, input, n, classes);
			if (settings.ttaFlip()) {
				flipColumns(input, n * ProbabilityModel.CHANNELS, size);
				final float[] mirrored = predict(model, input, n, classes);
				flipColumns(mirrored, n * classes, size);
				for (int p = 0; p < output.length; p++)
					output[p] = (output[p] + mirrored[p]) * 0.5f;
			}
			for (int b = 0; b < n; b++) {
				final int k = start + b;
				if (probPlanes != null)
					for (int c = 0; c < classes; c++)
						probPlanes[c] = probabilities.get(c).getPlane(k).getCurrentStorageArray();
				mapper.map(output, b, labels.getPlane(k).getCurrentStorageArray(), probPlanes);
			}
			progress.progress(TASK, start + n, sizeK);
		}

		if (settings.largestComponent()) {
			cancellation.check(TASK);
			ConnectedComponents.keepLargest(labels, Connectivity.TWENTY_SIX);
		}
		if (settings.fillHoles()) {
			cancellation.check(TASK);
			HoleFilling.fill(labels, 1);
		}
		return new SegmentationResult(labels, new ArrayList<Img<FloatType>>(probabilities), ct.geometry());
	}

	private static void check(final int sizeI, final int sizeJ, final int sizeK, final int size, final int classes, final InferenceSettings settings) {
		if (classes < 1 || classes > 255)
			throw new InvalidInputException("the model has " + classes + " output classes; expected 1 (sigmoid) to 255 (softmax)");
		if (size < 1) throw new InvalidInputException("the model's input size is " + size + "; expected a positive number of pixels");
		if (sizeI < 1 || sizeJ < 1 || sizeK < 1)
			throw new InvalidInputException("the volume is " + sizeI + "×" + sizeJ + "×" + sizeK + " voxels; every axis needs at least one");
		final long perSlice = (long) Math.max(ProbabilityModel.CHANNELS, classes) * size * size;
		final long batch = Math.min(settings.batch(), sizeK);
		if (perSlice * batch > Integer.MAX_VALUE - 8)
			throw new InvalidInputException(InferenceKeys.BATCH + "=" + settings.batch() + " needs " + perSlice * batch + " values per model call; at most "
					+ (Integer.MAX_VALUE - 8) / perSlice + " slices of " + size + "×" + size + " fit");
		final long voxels = (long) sizeI * sizeJ * sizeK;
		final long bytes = voxels * (1 + (settings.probabilities() ? 4L * classes : 0));
		final long heap = Runtime.getRuntime().maxMemory();
		if (bytes > heap)
			throw new InvalidInputException("the " + sizeI + "×" + sizeJ + "×" + sizeK + " result needs " + (bytes >> 20) + " MB (labels"
					+ (settings.probabilities() ? " and " + classes + " float probability volumes" : "") + ") but Java may use only " + (heap >> 20)
					+ " MB; " + (settings.probabilities() ? "turn off " + InferenceKeys.PROBABILITIES + " or " : "") + "raise the Java heap (-Xmx)");
	}

	private static float[] predict(final ProbabilityModel model, final float[] input, final int n, final int classes) {
		final float[] out = model.predict(input, n);
		final long expected = (long) n * classes * model.size() * model.size();
		if (out == null || out.length != expected)
			throw new IllegalStateException("the model returned " + (out == null ? "nothing" : out.length + " values") + " for " + n + " slices; expected "
					+ expected + " (" + n + "×" + classes + "×" + model.size() + "×" + model.size() + ")");
		return out;
	}

	/** Mirrors each of {@code maps} square row-major maps left–right, in place. */
	static void flipColumns(final float[] data, final int maps, final int size) {
		for (int m = 0; m < maps; m++)
			for (int r = 0; r < size; r++) {
				final int row = (m * size + r) * size;
				for (int a = row, b = row + size - 1; a < b; a++, b--) {
					final float t = data[a];
					data[a] = data[b];
					data[b] = t;
				}
			}
	}
}
