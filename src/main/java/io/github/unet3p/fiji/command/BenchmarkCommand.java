package io.github.unet3p.fiji.command;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.bench.BenchmarkResult;
import io.github.unet3p.core.bench.BenchmarkSettings;
import io.github.unet3p.core.bench.ModelBenchmark;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.model.Mode;
import io.github.unet3p.core.model.ModelSpec;

/**
 * {@code UNet3+ Benchmark}: times inference or training steps on a random batch and prints the
 * seed's lines ({@code Latency: X msec}, {@code Throughput/FPS: Y samples/sec}, or their
 * {@code Training} forms). Latency is the mean milliseconds per batch over the timed steps;
 * throughput is batch · steps / their total seconds. With {@code model}, the bundle's weights and
 * architecture (including its size) are used and the architecture keys are ignored. In inference
 * mode {@code precision} chooses the arithmetic timed (as {@code UNet3+ Segment} would run it), and
 * {@code engine} the runtime ({@code onnxruntime}: the model exported to ONNX, on ONNX Runtime).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Benchmark", headless = true)
public class BenchmarkCommand extends UNet3pCommand {

	@Parameter(label = "Mode", choices = { "inference", "training" }, required = false,
			description = "inference = forward passes; training = forward, hybrid loss, backward, Adam step")
	String mode = Mode.DEFAULT.key();

	@Parameter(label = "Model (optional)", style = "directory", required = false, description = "a trained model folder; random weights when empty", persist = false)
	File model;

	@Parameter(label = "Variant", choices = { "unet3plus", "unet3plus_deepsup", "unet3plus_deepsup_cgm" }, required = false)
	String variant = Variant.DEFAULT.key();

	@Parameter(label = "Encoder", choices = { "unet3plus", "vgg16", "vgg19" }, required = false)
	String backbone = Backbone.DEFAULT.key();

	@Parameter(label = "Filters (first-stage width)", min = "1", required = false, description = "64 is the recipe's")
	int filters = ModelSpec.DEFAULT_FILTERS;

	@Parameter(label = "Classes", min = "1", required = false)
	int classes = ModelSpec.DEFAULT_CLASSES;

	@Parameter(label = "Input size (pixels)", min = "32", required = false, description = "a multiple of 16; 320 is the recipe's")
	int size = ModelSpec.DEFAULT_SIZE;

	@Parameter(label = "Batch size", min = "1", required = false)
	int batch = BenchmarkSettings.DEFAULT_BATCH;

	@Parameter(label = "Warm-up steps", min = "0", required = false)
	int warmup = BenchmarkSettings.DEFAULT_WARMUP;

	@Parameter(label = "Timed steps", min = "1", required = false)
	int steps = BenchmarkSettings.DEFAULT_STEPS;

	@Parameter(label = "Random seed", required = false)
	long seed = BenchmarkSettings.DEFAULT_SEED;

	@Parameter(label = InferenceOptions.PRECISION_LABEL + " (inference mode)", choices = { InferenceKeys.PRECISION_FP32, InferenceKeys.PRECISION_FP32_FOLDED, InferenceKeys.PRECISION_FP16 },
			required = false, description = InferenceOptions.PRECISION_DESCRIPTION)
	String precision = Precision.DEFAULT.key();

	@Parameter(label = "Devices", required = false,
			description = "empty = the first GPU if PyTorch sees one, else the CPU; cpu, gpu, gpu:N; all = data-parallel training on every GPU")
	String devices = "";

	@Parameter(label = InferenceOptions.ENGINE_LABEL + " (inference mode)", choices = { InferenceKeys.ENGINE_AUTO, InferenceKeys.ENGINE_PYTORCH, InferenceKeys.ENGINE_ONNXRUNTIME },
			required = false, description = InferenceOptions.ENGINE_DESCRIPTION)
	String engine = InferenceKeys.ENGINE_DEFAULT;

	@Override
	protected void execute() {
		final BenchmarkSettings settings = BenchmarkSettings.builder().optMode(Mode.fromKey(mode))
				.optModel(model == null || model.getPath().isEmpty() ? null : model.toPath())
				.optArchitecture(ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(filters).optClasses(classes).optSize(size))
				.optBatch(batch).optWarmup(warmup).optSteps(steps).optSeed(seed).optPrecision(InferenceOptions.precision(precision))
				.optDevices(devices).optEngine(InferenceEngine.fromKey(engine)).build();
		final BenchmarkResult result = ModelBenchmark.run(settings, progress(), cancellation());
		ConsoleText.print(String.join("\n", result.lines()), ui);
	}
}
