package io.github.unet3p.reliability;

import static io.github.unet3p.testsupport.Launch.q;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.unet3p.testsupport.Launch;
import io.github.unet3p.testsupport.TinySlices;
import io.github.unet3p.testsupport.TinyVolumes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.unet3p.testsupport.TinyBundles;

/**
 * What a GPU setting gets on a machine (or a build) without a GPU, through the launcher as a user
 * types it: {@code precision=fp16} (GPU only), {@code precision=bf16} (never: DJL would abort the
 * JVM; the launcher refuses it as no choice of the key, and {@code Precision.fromKey} with the
 * reason for callers that do not check choices), {@code devices=gpu|gpu:N} with the CPU build. One message naming the key and what to do,
 * exit status 1, no stack trace, nothing written.
 */
class GpuRefusalsTest {

	@TempDir
	Path tmp;

	@ParameterizedTest(name = "{0}, precision={1}")
	@CsvSource(delimiter = '|', textBlock = """
			UNet3+ Segment Files | fp16     | precision=fp16 runs on a GPU only  | the PyTorch build loaded is a CPU build
			UNet3+ Segment Files | bf16     | Key 'precision' of 'UNet3+ Segment Files' cannot be 'bf16' | choose one of: fp32, fp32_folded, fp16
			UNet3+ Segment Files | bfloat16 | cannot be 'bfloat16'               | choose one of: fp32, fp32_folded, fp16
			UNet3+ Evaluate      | fp16     | precision=fp16 runs on a GPU only  | UNET3P_TORCH=cuda
			UNet3+ Evaluate      | bf16     | cannot be 'bf16'                   | choose one of: fp32, fp32_folded, fp16
			UNet3+ Benchmark     | fp16     | precision=fp16 runs on a GPU only  | fp32_folded
			UNet3+ Benchmark     | bf16     | cannot be 'bf16'                   | choose one of: fp32, fp32_folded, fp16
			""")
	void halfPrecisionsAreRefusedOnTheCpuAndNothingIsWritten(final String command, final String precision, final String first, final String second)
			throws IOException {
		final Path model = TinyBundles.write(tmp.resolve("model"), 2, 32, 1);
		final Path in = tmp.resolve("in");
		TinyVolumes.litsCase(in, 0);
		final Path out = tmp.resolve("out");
		final String options = switch (command) {
			case "UNet3+ Segment Files" -> "model=" + q(model) + ",input=" + q(in.resolve("volume-0.nii")) + ",output=" + q(out.resolve("seg.nii.gz"));
			case "UNet3+ Evaluate" -> "prediction=" + q(in.resolve("segmentation-0.nii")) + ",truth=" + q(in.resolve("segmentation-0.nii")) + ",output="
					+ q(out.resolve("metrics.csv")) + ",model=" + q(model) + ",data=" + q(TinySlices.squares(tmp.resolve("slices"), 2, 32));
			default -> "mode='inference',backbone='unet3plus',size=32,filters=2,batch=2,warmup=0,steps=1";
		};
		Launch.run(command, options + ",precision='" + precision + "'").refused(first, second);
		assertFalse(Files.exists(out), "nothing is written");
		Launch.assertNoPartFiles(tmp);
	}

	@ParameterizedTest(name = "devices={0}")
	@CsvSource(delimiter = '|', textBlock = """
			gpu   | devices asks for GPU 0 but PyTorch sees 0 GPU(s) | UNET3P_TORCH=cuda
			gpu:1 | devices asks for GPU 1 but PyTorch sees 0 GPU(s) | the PyTorch build loaded is a CPU build
			GPU:0 | devices asks for GPU 0                            | devices=cpu
			""")
	void gpusOnTheCpuBuildAreRefusedBeforeTrainingWritesAnything(final String devices, final String first, final String second) throws IOException {
		final Path train = TinySlices.squares(tmp.resolve("train"), 2, 32), model = tmp.resolve("model");
		Launch.run("UNet3+ Train", "train=" + q(train) + ",validation=" + q(train) + ",model=" + q(model) + ",backbone=unet3plus,filters=2,epochs=1,devices='" + devices
				+ "'").refused(first, second);
		assertFalse(Files.exists(model), "nothing is written");
	}

	@Test
	void dataParallelInferenceIsRefusedInTheBenchmark() {
		Launch.run("UNet3+ Benchmark", "mode='inference',backbone='unet3plus',size=32,filters=2,batch=2,warmup=0,steps=1,devices='all'").refused("devices='all' applies to mode='training'");
	}
}
