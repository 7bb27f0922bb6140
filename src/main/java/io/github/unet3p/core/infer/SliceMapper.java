package io.github.unet3p.core.infer;

/**
 * Maps the class probabilities of one prepared slice back into the stored grid of its input
 * slice: each class map is resized from size × size to the rotated slice's J rows × I columns with
 * {@link BilinearResize}, the seed's rot90 is undone ({@code in[c, J−1−r] = out[r, c]}, i.e. the
 * rotated row r is the stored run j = J−1−r), and the label of each voxel is the argmax over
 * classes (or probability &gt; 0.5 for a single sigmoid channel).
 *
 * <p>NB: probabilities are resampled first and the argmax is taken in the input grid. Resampling
 * the labels by nearest neighbour instead would shift boundaries by up to half a model pixel
 * (0.8 mm for 512 → 320 at 0.5 mm voxels) and give staircase edges.
 *
 * <p>Not thread-safe: holds the buffers of one slice.
 */
final class SliceMapper {

	private final int size, classes, sizeI, sizeJ;
	private final BilinearResize resize;
	private final float[][] rotated;
	private final float[] scratch;

	SliceMapper(final int size, final int classes, final int sizeI, final int sizeJ) {
		this.size = size;
		this.classes = classes;
		this.sizeI = sizeI;
		this.sizeJ = sizeJ;
		// NB: after rot90 a slice has J rows (height) and I columns (width).
		resize = BilinearResize.of(size, size, sizeI, sizeJ);
		rotated = new float[classes][sizeI * sizeJ];
		scratch = new float[resize.scratchLength()];
	}

	/**
	 * Maps slice {@code n} of a model output.
	 *
	 * @param output the model output, NCHW
	 * @param n the slice of the batch
	 * @param labels receives the labels of the stored slice, index {@code i + I·j}
	 * @param probabilities null, or one array per class receiving its probabilities, index {@code i + I·j}
	 */
	void map(final float[] output, final int n, final byte[] labels, final float[][] probabilities) {
		final int area = size * size;
		for (int c = 0; c < classes; c++)
			resize.apply(output, (n * classes + c) * area, rotated[c], 0, scratch);
		for (int j = 0; j < sizeJ; j++) {
			final int run = sizeI * j, row = sizeI * (sizeJ - 1 - j);
			if (classes == 1) {
				final float[] p = rotated[0];
				for (int i = 0; i < sizeI; i++)
					labels[run + i] = (byte) (p[row + i] > 0.5f ? 1 : 0);
			}
			else {
				for (int i = 0; i < sizeI; i++) {
					int best = 0;
					float max = rotated[0][row + i];
					for (int c = 1; c < classes; c++) {
						final float v = rotated[c][row + i];
						if (v > max) {
							max = v;
							best = c;
						}
					}
					labels[run + i] = (byte) best;
				}
			}
			if (probabilities != null)
				for (int c = 0; c < classes; c++)
					System.arraycopy(rotated[c], row, probabilities[c], run, sizeI);
		}
	}
}
