package io.github.unet3p.core.model;

import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;

/**
 * What this JVM's PyTorch engine is: the build, the version, the library folder DJL loaded it from,
 * and every GPU it can use.
 *
 * @param build the chosen build
 * @param version PyTorch's version as DJL reports it
 * @param libraryPath the folder the native libraries were loaded from
 * @param gpus the GPUs the build can use (none for a CPU build)
 */
public record EngineInfo(TorchBuild build, String version, String libraryPath, List<Gpu> gpus) {

	/**
	 * One GPU as PyTorch's CUDA runtime sees it.
	 *
	 * @param index the device number ({@code gpu:N})
	 * @param name the product name ({@code nvidia-smi}), or "GPU N" when it cannot be read
	 * @param computeCapability e.g. {@code 80} for an A100
	 * @param totalBytes memory in bytes
	 * @param usedBytes memory in use in bytes
	 */
	public record Gpu(int index, String name, String computeCapability, long totalBytes, long usedBytes) {

		/** One line: {@code gpu:0  NVIDIA A100-SXM4-40GB  40.0 GiB (1.2 GiB in use), compute capability 8.0}. */
		public String describe() {
			if (totalBytes < 0) return String.format(Locale.ROOT, "gpu:%d  %s  (memory and compute capability not readable)", index, name);
			final String cc = computeCapability.length() >= 2 ? computeCapability.substring(0, computeCapability.length() - 1) + "." + computeCapability.substring(computeCapability.length() - 1)
					: computeCapability;
			return String.format(Locale.ROOT, "gpu:%d  %s  %.1f GiB (%.1f GiB in use), compute capability %s", index, name, totalBytes / 1073741824.0,
					usedBytes / 1073741824.0, cc);
		}
	}

	/** The engine of this JVM (starting it if needed). */
	public static EngineInfo current() {
		final Engine engine = TorchEngine.get();
		final TorchBuild build = TorchEngine.build();
		final int count = TorchEngine.gpuCount();
		final List<Gpu> gpus = new ArrayList<>();
		final Map<Integer, String> names = count > 0 ? nvidiaSmiNames() : Map.of();
		for (int i = 0; i < count; i++) {
			long total = -1, used = -1;
			String cc = "?";
			try {
				final MemoryUsage m = CudaUtils.getGpuMemory(Device.gpu(i));
				total = m.getMax();
				used = m.getUsed();
				cc = CudaUtils.getComputeCapability(i);
			}
			catch (final RuntimeException e) {
				// NB: DJL asks the CUDA runtime through JNA; when it cannot, the GPU is still listed.
			}
			gpus.add(new Gpu(i, names.getOrDefault(i, "GPU " + i), cc, total, used));
		}
		return new EngineInfo(build, engine.getVersion(), ai.djl.pytorch.jni.LibUtils.getLibtorchPath(), List.copyOf(gpus));
	}

	/** The report {@code UNet3+ Engine} prints, one line each. */
	public List<String> lines() {
		final List<String> lines = new ArrayList<>();
		lines.add("PyTorch " + version + ", flavour " + build.flavor() + ", DJL " + Engine.getDjlVersion());
		lines.add("Build: " + build.describe());
		lines.add("Library path: " + libraryPath);
		if (gpus.isEmpty()) lines.add(build.isCuda() ? "GPUs: none found by the CUDA build (check the NVIDIA driver: nvidia-smi)" : "GPUs: none (a CPU build uses no GPU)");
		else {
			lines.add("GPUs: " + gpus.size());
			for (final Gpu g : gpus)
				lines.add("  " + g.describe());
		}
		return lines;
	}

	/** GPU names by index from {@code nvidia-smi}, empty when it is not installed or says nothing. */
	private static Map<Integer, String> nvidiaSmiNames() {
		final Map<Integer, String> names = new HashMap<>();
		try {
			final Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name", "--format=csv,noheader").redirectErrorStream(true).start();
			if (!p.waitFor(10, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				return names;
			}
			for (final String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
				final int comma = line.indexOf(',');
				if (comma > 0) names.put(Integer.parseInt(line.substring(0, comma).trim()), line.substring(comma + 1).trim());
			}
		}
		catch (final IOException | NumberFormatException e) {
			return names;
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return names;
	}
}
