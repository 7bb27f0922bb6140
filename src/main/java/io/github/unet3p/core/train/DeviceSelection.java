package io.github.unet3p.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import io.github.unet3p.core.model.TorchBuild;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * Parses and resolves the {@code devices} key: {@code cpu} (default), {@code gpu} (the first GPU),
 * {@code gpu:N} (GPU number N) or {@code all} (every GPU, else the CPU).
 *
 * <p>NB: with the bundled CPU build PyTorch sees no GPU on any machine and {@code gpu} is refused
 * with a message saying how to load the CUDA build ({@code UNET3P_TORCH=cuda}, see
 * {@link io.github.unet3p.core.model.TorchBuild}).
 */
public final class DeviceSelection {

	private final String key;
	private final int gpu;

	private DeviceSelection(final String key, final int gpu) {
		this.key = key;
		this.gpu = gpu;
	}

	/** Parses a {@code devices} value; an unknown form names the key and the accepted forms. */
	public static DeviceSelection parse(final String text) {
		final String t = text.trim().toLowerCase(Locale.ROOT);
		if (t.equals("cpu") || t.equals("gpu") || t.equals("all")) return new DeviceSelection(t, 0);
		if (t.startsWith("gpu:")) {
			try {
				final int n = Integer.parseInt(t.substring(4));
				if (n >= 0) return new DeviceSelection("gpu", n);
			}
			catch (final NumberFormatException e) {
				// falls through to the message below
			}
		}
		throw new InvalidInputException("devices must be cpu, gpu, gpu:N or all; not '" + text + "'.");
	}

	/**
	 * The devices to train on, given how many GPUs the engine sees.
	 *
	 * @throws InvalidInputException when GPUs are asked for and there are not enough
	 */
	public List<Device> resolve(final int gpusVisible) {
		switch (key) {
			case "cpu":
				return List.of(Device.cpu());
			case "all":
				if (gpusVisible == 0) return List.of(Device.cpu());
				final List<Device> all = new ArrayList<>();
				for (int i = 0; i < gpusVisible; i++)
					all.add(Device.gpu(i));
				return Collections.unmodifiableList(all);
			default:
				if (gpu >= gpusVisible)
					throw new InvalidInputException("devices asks for GPU " + gpu + " but PyTorch sees " + gpusVisible + " GPU(s)" + why(gpusVisible) + ".");
				return List.of(Device.gpu(gpu));
		}
	}

	/** Why PyTorch sees no (or too few) GPUs, from the build this JVM loaded. */
	private static String why(final int gpusVisible) {
		final java.util.Optional<TorchBuild> build = TorchEngine.loadedBuild();
		if (gpusVisible > 0) return "";
		if (build.isEmpty()) return "; use devices=cpu";
		if (!build.get().isCuda())
			return ": the PyTorch build loaded is a CPU build (" + build.get().describe() + "). To train on a GPU start Fiji (or the launcher) with "
					+ TorchBuild.ENV + "=cuda, or save that choice with UNet3+ Engine and restart; else use devices=cpu";
		return ": the CUDA build is loaded (" + build.get().describe()
				+ ") but finds no GPU; check the NVIDIA driver (nvidia-smi) and what UNet3+ Engine lists, or use devices=cpu";
	}
}
