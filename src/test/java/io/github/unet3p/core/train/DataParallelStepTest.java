package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.model.Variant;

/**
 * The data-parallel arithmetic on one device: a batch split into N parts (each part on its own copy
 * of the weights, exactly as on N GPUs, only the copies share the CPU) gives the full-batch
 * gradient and the same optimizer step as the whole batch at once. BatchNorm is isolated by running
 * it on its moving statistics ({@link StepObjective} with batch statistics off); with batch
 * statistics the difference is the documented one.
 */
class DataParallelStepTest {

	private static final int SIZE = 32;
	private static final int BATCH = 5;

	/** A small network, its trainable parameters, on {@code root}, with the same seed every time. */
	private record Setup(UNet3PlusNet net, List<Parameter> trainable, DeepSupervisionLoss loss) {}

	private static Setup setup(final NDManager root, final Variant variant, final Backbone backbone) {
		return setup(root, variant, backbone, DataType.FLOAT32);
	}

	private static Setup setup(final NDManager root, final Variant variant, final Backbone backbone, final DataType type) {
		final ModelSpec spec = ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(4).optSize(SIZE).build();
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		net.initialize(root, 11, type);
		final List<Parameter> trainable = new ArrayList<>();
		for (final Parameter p : net.block().getParameters().values())
			if (p.requiresGradient()) {
				p.getArray().setRequiresGradient(true);
				trainable.add(p);
			}
		final DeepSupervisionLoss loss = new DeepSupervisionLoss(LossKind.HYBRID.create(), variant.hasDeepSupervision() ? 5 : 1, false);
		return new Setup(net, trainable, loss);
	}

	static TrainingBatch batch(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final int plane = SIZE * SIZE;
		final float[] images = new float[n * 3 * plane];
		for (int i = 0; i < images.length; i++)
			images[i] = (float) r.nextDouble();
		final float[] targets = new float[n * 2 * plane];
		final float[] fg = new float[n];
		for (int b = 0; b < n; b++)
			for (int p = 0; p < plane; p++) {
				// a disc of foreground at a random centre: a mask with structure, as SSIM/IoU expect
				final int cx = 8 + (int) (seed + b) % 16, y = p / SIZE, x = p % SIZE;
				final boolean liver = (x - cx) * (x - cx) + (y - 16) * (y - 16) < 64;
				targets[(b * 2 + (liver ? 1 : 0)) * plane + p] = 1;
				if (liver) fg[b] = 1;
			}
		return TrainingBatch.of(n, SIZE, SIZE, 2, images, targets, fg);
	}

	private static List<Device> cpus(final int n) {
		return Collections.nCopies(n, Device.cpu());
	}

	/** The gradients of {@code ps}, as doubles (float32 ones widen exactly). */
	private static double[][] gradients(final List<Parameter> ps) {
		final double[][] g = new double[ps.size()][];
		for (int i = 0; i < g.length; i++)
			g[i] = doubles(ps.get(i).getArray().getGradient());
		return g;
	}

	/** Every parameter value of {@code net}, as doubles. */
	private static double[][] values(final UNet3PlusNet net) {
		final List<double[]> list = new ArrayList<>();
		for (final Parameter p : net.block().getParameters().values())
			list.add(doubles(p.getArray()));
		return list.toArray(new double[0][]);
	}

	private static double[] doubles(final ai.djl.ndarray.NDArray a) {
		if (a.getDataType() == DataType.FLOAT64) return a.toDoubleArray();
		final float[] f = a.toFloatArray();
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++)
			d[i] = f[i];
		return d;
	}

	private static double maxDifference(final double[][] a, final double[][] b) {
		double max = 0;
		for (int i = 0; i < a.length; i++)
			for (int j = 0; j < a[i].length; j++)
				max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
		return max;
	}

	/** ‖a − b‖₂ / ‖b‖₂ over all values. */
	private static double relativeL2(final double[][] a, final double[][] b) {
		double d = 0, n = 0;
		for (int i = 0; i < a.length; i++)
			for (int j = 0; j < a[i].length; j++) {
				d += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
				n += b[i][j] * b[i][j];
			}
		return Math.sqrt(d / n);
	}

	private static double maxAbs(final double[][] a) {
		double max = 0;
		for (final double[] v : a)
			for (final double f : v)
				max = Math.max(max, Math.abs(f));
		return max;
	}

	@Test
	void splitsAreEvenLargerFirstAndNeverEmpty() {
		assertArrayEquals(new int[] { 2, 2 }, DataParallelStep.split(4, 2));
		assertArrayEquals(new int[] { 2, 2, 1 }, DataParallelStep.split(5, 3));
		assertArrayEquals(new int[] { 1, 1 }, DataParallelStep.split(2, 8));
		assertArrayEquals(new int[] { 16 }, DataParallelStep.split(16, 1));
	}

	@ParameterizedTest(name = "{0} parts, {1}/{2}")
	@CsvSource({ "2, unet3plus, unet3plus", "3, unet3plus, unet3plus", "5, unet3plus, unet3plus", "2, unet3plus_deepsup, vgg16" })
	void partGradientsSumToTheFullBatchGradientAndTheStepIsTheSame(final int parts, final String variant, final String backbone) {
		final TrainingBatch batch = batch(BATCH, 3);
		final boolean recording = TorchEngine.setGradientRecording(false);
		try (NDManager a = TorchEngine.get().newBaseManager(Device.cpu()); NDManager b = TorchEngine.get().newBaseManager(Device.cpu());
				KerasAdam adamA = new KerasAdam(5e-5, 0, a); KerasAdam adamB = new KerasAdam(5e-5, 0, b)) {
			final Setup one = setup(a, Variant.fromKey(variant), Backbone.fromKey(backbone));
			final Setup split = setup(b, Variant.fromKey(variant), Backbone.fromKey(backbone));
			final SingleDeviceStep whole = new SingleDeviceStep(new StepObjective(one.net(), one.loss(), false), adamA, one.trainable(), a);
			final DataParallelStep parallel = new DataParallelStep(new StepObjective(split.net(), split.loss(), false), adamB, split.trainable(), cpus(parts), b);
			final double lossWhole = whole.gradients(batch);
			final double lossSplit = parallel.gradients(batch);
			assertEquals(lossWhole, lossSplit, 1e-6, "the weighted part losses add up to the batch loss");
			final double[][] gw = gradients(one.trainable());
			final double[][] gs = gradients(split.trainable());
			final double diff = maxDifference(gs, gw);
			final double relative = relativeL2(gs, gw);
			System.out.printf("data-parallel %d parts %s/%s: ||g_split - g_whole|| / ||g_whole|| = %.3g, max |g_split - g_whole| = %.3g (max |g| = %.3g)%n", parts,
					variant, backbone, relative, diff, maxAbs(gw));
			assertTrue(maxAbs(gw) > 1e-3, "a gradient worth comparing");
			// NB: float32. The same gradient summed in another order differs by a few ulps: at |g| ≈ 1
			// an element differs by up to ~2e-6; the relative error over all gradients is ~1e-7.
			assertTrue(relative <= 1e-6, "summed part gradients equal the full-batch gradient to 1e-6 (relative L2); got " + relative);
			assertTrue(diff <= 1e-5 * Math.max(1, maxAbs(gw)), "no element differs by more than float32 rounding; max difference " + diff);
			// The optimizer step from those gradients.
			adamA.update(one.trainable());
			adamB.update(split.trainable());
			final double step = maxDifference(values(one.net()), values(split.net()));
			System.out.printf("data-parallel %d parts %s/%s: max |w_split - w_whole| after one Adam step = %.3g%n", parts, variant, backbone, step);
			assertTrue(step <= 1e-6, "one Adam step from the split gradients equals the whole-batch step to 1e-6; max difference " + step);
			// And whole steps through the BatchStep role, three in a row.
			for (int i = 0; i < 3; i++) {
				final TrainingBatch next = batch(BATCH, 10 + i);
				assertEquals(whole.step(next), parallel.step(next), 1e-5);
			}
			final double after = maxDifference(values(one.net()), values(split.net()));
			System.out.printf("data-parallel %d parts %s/%s: max |w_split - w_whole| after 4 steps = %.3g%n", parts, variant, backbone, after);
			assertTrue(after <= 1e-6, "four steps agree to 1e-6; max difference " + after);
			parallel.close();
		}
		finally {
			TorchEngine.setGradientRecording(recording);
		}
	}

	/**
	 * The same arithmetic in float64, where summation order costs ~1e-16 instead of float32's
	 * ~1e-7: the summed part gradients equal the full-batch gradient to 1e-6 absolute in every
	 * element, and so do the weights after the Adam steps. A wrongly weighted or missing part
	 * would change the loss itself, by far more than 1e-6.
	 */
	@ParameterizedTest(name = "float64, {0} parts, {1}/{2}")
	@CsvSource({ "2, unet3plus, unet3plus", "3, unet3plus, unet3plus", "5, unet3plus, unet3plus", "2, unet3plus_deepsup, vgg16" })
	void inFloat64TheSplitGradientEqualsTheFullBatchGradientTo1e6(final int parts, final String variant, final String backbone) {
		final TrainingBatch batch = batch(BATCH, 3);
		final boolean recording = TorchEngine.setGradientRecording(false);
		try (NDManager a = TorchEngine.get().newBaseManager(Device.cpu()); NDManager b = TorchEngine.get().newBaseManager(Device.cpu());
				KerasAdam adamA = new KerasAdam(5e-5, 0, a); KerasAdam adamB = new KerasAdam(5e-5, 0, b)) {
			final Setup one = setup(a, Variant.fromKey(variant), Backbone.fromKey(backbone), DataType.FLOAT64);
			final Setup split = setup(b, Variant.fromKey(variant), Backbone.fromKey(backbone), DataType.FLOAT64);
			final SingleDeviceStep whole = new SingleDeviceStep(new StepObjective(one.net(), one.loss(), false), adamA, one.trainable(), a);
			final DataParallelStep parallel = new DataParallelStep(new StepObjective(split.net(), split.loss(), false), adamB, split.trainable(), cpus(parts), b);
			final double lossWhole = whole.gradients(batch);
			final double lossSplit = parallel.gradients(batch);
			assertEquals(lossWhole, lossSplit, 1e-9, "the weighted part losses add up to the batch loss");
			final double[][] gw = gradients(one.trainable());
			final double[][] gs = gradients(split.trainable());
			assertEquals(DataType.FLOAT64, one.trainable().get(0).getArray().getGradient().getDataType());
			final double norm = maxAbs(gw);
			final double diff = maxDifference(gs, gw);
			System.out.printf("data-parallel float64 %d parts %s/%s: max |g_split - g_whole| = %.3g (max |g| = %.3g)%n", parts, variant, backbone, diff, norm);
			assertTrue(norm > 1e-3, "a gradient worth comparing");
			assertTrue(diff <= 1e-6, "summed part gradients equal the full-batch gradient to 1e-6 in every element; max difference " + diff);
			final double[][] initial = values(one.net());
			adamA.update(one.trainable());
			adamB.update(split.trainable());
			for (int i = 0; i < 3; i++) {
				final TrainingBatch next = batch(BATCH, 10 + i);
				assertEquals(whole.step(next), parallel.step(next), 1e-9);
			}
			final double after = maxDifference(values(one.net()), values(split.net()));
			System.out.printf("data-parallel float64 %d parts %s/%s: max |w_split - w_whole| after 4 Adam steps = %.3g%n", parts, variant, backbone, after);
			assertTrue(after <= 1e-6, "four optimizer steps agree to 1e-6; max difference " + after);
			assertTrue(maxDifference(values(one.net()), initial) > 1e-5, "the steps moved the weights");
			parallel.close();
		}
		finally {
			TorchEngine.setGradientRecording(recording);
		}
	}

	/**
	 * With BatchNorm on batch statistics (training), each part is normalised by its own statistics:
	 * the gradient differs from the full batch's (documented in {@link DataParallelStep}); the first
	 * BatchNorm's moving mean after the step is the full batch's (its inputs are the same), the
	 * moving variances and the deeper moving means are not.
	 */
	@Test
	void batchStatisticsMakeTheDocumentedDifference() {
		final TrainingBatch batch = batch(4, 5);
		final boolean recording = TorchEngine.setGradientRecording(false);
		try (NDManager a = TorchEngine.get().newBaseManager(Device.cpu()); NDManager b = TorchEngine.get().newBaseManager(Device.cpu());
				KerasAdam adamA = new KerasAdam(5e-5, 0, a); KerasAdam adamB = new KerasAdam(5e-5, 0, b)) {
			final Setup one = setup(a, Variant.UNET3PLUS, Backbone.UNET3PLUS);
			final Setup split = setup(b, Variant.UNET3PLUS, Backbone.UNET3PLUS);
			final SingleDeviceStep whole = new SingleDeviceStep(new StepObjective(one.net(), one.loss()), adamA, one.trainable(), a);
			final DataParallelStep parallel = new DataParallelStep(new StepObjective(split.net(), split.loss()), adamB, split.trainable(), cpus(2), b);
			whole.gradients(batch);
			parallel.gradients(batch);
			final double[][] gw = gradients(one.trainable());
			final double diff = maxDifference(gw, gradients(split.trainable()));
			System.out.printf("data-parallel with BatchNorm batch statistics, 2 parts of 2: max |g_split - g_whole| = %.3g (max |g| = %.3g)%n", diff, maxAbs(gw));
			assertTrue(diff > 1e-5, "per-part BatchNorm statistics change the gradient: " + diff);
			double meanDiff = 0, varDiff = 0, firstMeanDiff = -1;
			final List<Parameter> pa = new ArrayList<>(one.net().block().getParameters().values());
			final List<Parameter> pb = new ArrayList<>(split.net().block().getParameters().values());
			for (int i = 0; i < pa.size(); i++) {
				final double d = maxDifference(new double[][] { doubles(pa.get(i).getArray()) }, new double[][] { doubles(pb.get(i).getArray()) });
				if (pa.get(i).getType() == Parameter.Type.RUNNING_MEAN) {
					if (firstMeanDiff < 0) firstMeanDiff = d;
					meanDiff = Math.max(meanDiff, d);
				}
				if (pa.get(i).getType() == Parameter.Type.RUNNING_VAR) varDiff = Math.max(varDiff, d);
			}
			System.out.printf("moving statistics after the step: first BatchNorm max |mean_split - mean_whole| = %.3g; all BatchNorms: mean %.3g, variance %.3g%n",
					firstMeanDiff, meanDiff, varDiff);
			assertTrue(firstMeanDiff >= 0 && firstMeanDiff <= 1e-6, "the first BatchNorm's moving mean is the batch's (same inputs): " + firstMeanDiff);
			assertTrue(varDiff > 1e-6, "moving variances differ (mean of part variances): " + varDiff);
			parallel.close();
		}
		finally {
			TorchEngine.setGradientRecording(recording);
		}
	}
}
