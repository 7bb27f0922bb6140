package io.github.unet3p.core.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.EngineChoice;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.OrtProbabilityModel;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.TorchProbabilityModel;
import io.github.unet3p.core.model.HalfPrecisionStore;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.model.Mode;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.train.BatchStep;
import io.github.unet3p.core.train.DeepSupervisionLoss;
import io.github.unet3p.core.train.DeviceSelection;
import io.github.unet3p.core.train.StepObjective;
import io.github.unet3p.core.train.TrainingBatch;
import io.github.unet3p.core.train.KerasAdam;
import io.github.unet3p.core.train.LossKind;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.model.EngineArrays;

/**
 * Times the model as the seed's benchmark does: {@code warmup} untimed steps, then {@code steps}
 * timed ones, each on the same random batch. An inference step is one forward pass in inference
 * mode (BatchNorm moving statistics, d1 only) in the settings' {@link Precision} (BatchNorm folded
 * into the convolutions once, before the warm-up, for {@code fp32_folded}); a training step is a forward pass in training mode
 * (all outputs), the hybrid loss (summed over the deep-supervision outputs, plus the L2 penalty),
 * the backward pass and one Keras-Adam update — what {@code UNet3+ Train} does per batch (through the
 * same {@code BatchStep}, so {@code devices=all} trains data-parallel), without data loading (the
 * batch is copied from Java arrays to the device each step, as in training).
 *
 * <p>With {@code engine=onnxruntime} (inference only) a step is one {@code predict} of the network
 * exported to ONNX and run by ONNX Runtime ({@link OrtProbabilityModel}): a bundle's cached
 * {@code model.onnx} (exported first when missing), or the random network exported in memory. That
 * step includes copying the batch in and the probabilities out of Java arrays, which the PyTorch
 * step (arrays already on the engine) does not.
 *
 * <p>Latency is the mean wall time of one timed step (one batch) in milliseconds; throughput is
 * {@code batch · steps} images divided by the timed steps' total wall time.
 *
 * <p>NB: the input is random (uniform 0…1, three channels) and so is the mask (one-hot of
 * uniformly random labels): the speed of a dense network does not depend on the values.
 */
public final class ModelBenchmark {

	private ModelBenchmark() {}

	/**
	 * Runs the benchmark, reporting each step to {@code progress}.
	 *
	 * @throws InvalidInputException for a model folder that is not a valid bundle
	 * @throws io.github.unet3p.core.util.CancelledException when cancelled (checked before every step)
	 */
	public static BenchmarkResult run(final BenchmarkSettings settings, final ProgressListener progress, final Cancellation cancel) {
		if (engine(settings, progress) == InferenceEngine.ONNXRUNTIME) return onnxRuntime(settings, progress, cancel);
		if (settings.mode() == Mode.INFERENCE) TorchProbabilityModel.requireRunnable(settings.precision());
		final List<Device> devices = settings.devices().isEmpty() ? List.of(TorchEngine.get().defaultDevice())
				: DeviceSelection.parse(settings.devices()).resolve(TorchEngine.gpuCount());
		try (NDManager root = TorchEngine.get().newBaseManager(devices.get(0))) {
			// NB: grad mode is per thread and on by default outside the engine's first thread; inference
			// steps must not record gradients (training steps turn it on in their GradientCollector).
			TorchEngine.setGradientRecording(false);
			final UNet3PlusNet net = network(settings, root);
			if (settings.mode() == Mode.INFERENCE && settings.precision() == Precision.FP32_FOLDED) net.foldBatchNorm(root);
			final ModelSpec spec = net.spec();
			BenchmarkSettings.checkInput(settings.batch(), spec.size());
			TorchEngine.get().setRandomSeed((int) settings.seed());
			final float[] images = randomImages(settings.batch(), spec.size(), settings.seed());
			final float[] masks = randomMasks(settings.batch(), spec.classes(), spec.size(), settings.seed() + 1);
			final Stepper stepper = settings.mode() == Mode.TRAINING ? new TrainingStep(net, root, settings, devices, images, masks)
					: new InferenceStep(net, root, settings.precision(), images);
			final String what = settings.mode() == Mode.TRAINING ? "Training benchmark" : "Inference benchmark";
			progress.message(String.format(Locale.ROOT, "%s: %s, batch %d, %d warm-up + %d timed steps, precision %s, devices %s, PyTorch %s (%s) with %d intra-op threads", what,
					spec, settings.batch(), settings.warmup(), settings.steps(), settings.precision(), devices, TorchEngine.get().getVersion(), TorchEngine.build().flavor(),
					ai.djl.pytorch.jni.JniUtils.getNumThreads()));
			for (int i = 0; i < settings.warmup(); i++) {
				cancel.check(what);
				stepper.step();
				progress.progress(what + " (warm-up)", i + 1, settings.warmup());
			}
			long nanos = 0;
			final long cpu = ProcessCpu.nanos();
			for (int i = 0; i < settings.steps(); i++) {
				cancel.check(what);
				final long t0 = System.nanoTime();
				stepper.step();
				nanos += System.nanoTime() - t0;
				progress.progress(what, i + 1, settings.steps());
			}
			cpuMessage(progress, cpu, settings.steps());
			final double seconds = nanos / 1e9;
			return new BenchmarkResult(settings.mode(), spec, settings.batch(), settings.warmup(), settings.steps(), seconds, 1000 * seconds / settings.steps(),
					settings.batch() * (double) settings.steps() / seconds);
		}
	}

	/**
	 * The engine timed: training runs on PyTorch; {@code auto} picks as {@link EngineChoice} does,
	 * and PyTorch when {@code devices} names a GPU (ONNX Runtime runs on the CPU here).
	 */
	private static InferenceEngine engine(final BenchmarkSettings settings, final ProgressListener progress) {
		if (settings.mode() == Mode.TRAINING) return InferenceEngine.PYTORCH;
		if (settings.engine() == InferenceEngine.AUTO && !settings.devices().isEmpty() && !settings.devices().equalsIgnoreCase("cpu")) {
			progress.message("engine=auto: PyTorch, because devices='" + settings.devices() + "' and ONNX Runtime runs on the CPU here.");
			return InferenceEngine.PYTORCH;
		}
		final EngineChoice.Decision choice = EngineChoice.resolve(settings.engine(), settings.precision());
		if (choice.reason() != null) progress.message(choice.reason());
		return choice.engine();
	}

	/** Reports the CPU time per timed step since {@code cpu} ({@link ProcessCpu}), where it can be read. */
	private static void cpuMessage(final ProgressListener progress, final long cpu, final int steps) {
		final String m = ProcessCpu.perStep(cpu, steps);
		if (!m.isEmpty()) progress.message(m);
	}

	/** The inference benchmark on ONNX Runtime. */
	private static BenchmarkResult onnxRuntime(final BenchmarkSettings settings, final ProgressListener progress, final Cancellation cancel) {
		try (BundleModel model = ortModel(settings)) {
			final ModelSpec spec = model.bundle().architecture();
			BenchmarkSettings.checkInput(settings.batch(), spec.size());
			final float[] x = randomImages(settings.batch(), spec.size(), settings.seed());
			final String what = "Inference benchmark";
			progress.message(String.format(Locale.ROOT, "%s: %s, batch %d, %d warm-up + %d timed steps, ONNX Runtime %s with %d intra-op threads", what, spec,
					settings.batch(), settings.warmup(), settings.steps(), ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(),
					Runtime.getRuntime().availableProcessors()));
			for (int i = 0; i < settings.warmup(); i++) {
				cancel.check(what);
				model.predict(x, settings.batch());
				progress.progress(what + " (warm-up)", i + 1, settings.warmup());
			}
			long nanos = 0;
			final long cpu = ProcessCpu.nanos();
			for (int i = 0; i < settings.steps(); i++) {
				cancel.check(what);
				final long t0 = System.nanoTime();
				model.predict(x, settings.batch());
				nanos += System.nanoTime() - t0;
				progress.progress(what, i + 1, settings.steps());
			}
			cpuMessage(progress, cpu, settings.steps());
			final double seconds = nanos / 1e9;
			return new BenchmarkResult(settings.mode(), spec, settings.batch(), settings.warmup(), settings.steps(), seconds, 1000 * seconds / settings.steps(),
					settings.batch() * (double) settings.steps() / seconds);
		}
	}

	/** The bundle on ONNX Runtime, or the seeded random network exported in memory. */
	private static BundleModel ortModel(final BenchmarkSettings settings) {
		if (settings.model().isPresent()) return ProbabilityModels.open(settings.model().get(), InferenceEngine.ONNXRUNTIME, settings.precision());
		final ModelSpec spec = settings.architecture();
		final ModelBundle bundle = new ModelBundle(spec, new PreparationSpec(-200, 250, spec.size()), null);
		final byte[] onnx;
		try (NDManager root = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
			net.initialize(root, settings.seed());
			onnx = OnnxExport.model(net, bundle, "random weights, seed " + settings.seed()).toByteArray();
		}
		return OrtProbabilityModel.of(onnx, bundle, Path.of("random-" + spec.variant() + "-" + spec.backbone() + ".onnx"));
	}

	private static UNet3PlusNet network(final BenchmarkSettings settings, final NDManager root) {
		if (settings.model().isPresent()) {
			final Path folder = settings.model().get();
			return ModelBundle.read(folder).loadNetwork(folder, root);
		}
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(settings.architecture()).build();
		net.initialize(root, settings.seed());
		return net;
	}

	/** Uniform 0…1 images, NCHW. */
	static float[] randomImages(final int batch, final int size, final long seed) {
		final SplittableRandom random = new SplittableRandom(seed);
		final float[] values = new float[batch * ModelSpec.CHANNELS * size * size];
		for (int i = 0; i < values.length; i++)
			values[i] = (float) random.nextDouble();
		return values;
	}

	/** One-hot masks of uniformly random labels (one 0/1 channel when {@code classes} is 1), NCHW. */
	static float[] randomMasks(final int batch, final int classes, final int size, final long seed) {
		final SplittableRandom random = new SplittableRandom(seed);
		final int plane = size * size;
		final float[] values = new float[batch * classes * plane];
		for (int b = 0; b < batch; b++)
			for (int p = 0; p < plane; p++) {
				if (classes == 1) values[b * plane + p] = random.nextBoolean() ? 1 : 0;
				else values[(b * classes + random.nextInt(classes)) * plane + p] = 1;
			}
		return values;
	}

	/** One timed unit of work on the benchmark's batch. */
	private interface Stepper {
		/** Runs one step and waits for its result (on a GPU the work is asynchronous until read). */
		void step();
	}

	/** A forward pass in inference mode, in its own sub-manager. */
	private static final class InferenceStep implements Stepper {

		private final UNet3PlusNet net;
		private final NDManager root;
		private final ParameterStore store;
		private final NDArray x;

		InferenceStep(final UNet3PlusNet net, final NDManager root, final Precision precision, final float[] images) {
			this.net = net;
			this.root = root;
			this.store = precision == Precision.FP16 ? new HalfPrecisionStore(root) : new ParameterStore(root, false);
			final int size = net.spec().size();
			final NDArray input = EngineArrays.create(root, images, new Shape(images.length / (ModelSpec.CHANNELS * size * size), ModelSpec.CHANNELS, size, size));
			this.x = precision == Precision.FP16 ? input.toType(DataType.FLOAT16, false) : input;
		}

		@Override
		public void step() {
			try (NDManager sub = root.newSubManager()) {
				final NDList out = net.infer(store, x);
				out.attach(sub);
				// NB: on a GPU the pass runs asynchronously; one value read back makes the time include it.
				if (x.getDevice().isGpu()) out.head().max().getFloat();
			}
		}
	}

	/** What UNet3+ Train does per batch, through the same {@link BatchStep} (one device or data-parallel). */
	private static final class TrainingStep implements Stepper {

		private final BatchStep batchStep;
		private final TrainingBatch batch;

		TrainingStep(final UNet3PlusNet net, final NDManager root, final BenchmarkSettings settings, final List<Device> devices, final float[] images,
				final float[] masks) {
			final ModelSpec spec = net.spec();
			final DeepSupervisionLoss loss = new DeepSupervisionLoss(LossKind.HYBRID.create(), spec.variant().hasDeepSupervision() ? 5 : 1,
					spec.variant().hasClassificationGuide());
			final KerasAdam adam = new KerasAdam(settings.learningRate(), 0, root);
			final List<Parameter> trainable = new ArrayList<>();
			for (final Parameter p : net.block().getParameters().values())
				if (p.requiresGradient()) {
					p.getArray().setRequiresGradient(true);
					trainable.add(p);
				}
			this.batchStep = BatchStep.create(new StepObjective(net, loss), adam, trainable, devices, root);
			final int n = settings.batch();
			final float[] foreground = new float[n];
			java.util.Arrays.fill(foreground, 1f);
			this.batch = TrainingBatch.of(n, spec.size(), spec.size(), spec.classes(), images, masks, foreground);
		}

		@Override
		public void step() {
			batchStep.step(batch);
		}
	}
}
