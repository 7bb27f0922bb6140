package io.github.unet3p.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import ai.djl.Device;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * Parses and resolves the {@code devices} key: {@code cpu} (default), {@code gpu} (the first GPU),
 * {@code gpu:N} (GPU number N) or {@code all} (every GPU, else the CPU).
 *
 * <p>NB: the PyTorch build this plugin ships is the CPU one, so on every machine PyTorch sees no
 * GPU and {@code gpu} is refused with a message; the selection logic is kept so that a CUDA build
 * on the class path is used as asked.
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
					throw new InvalidInputException("devices asks for GPU " + gpu + " but PyTorch sees " + gpusVisible + " GPU(s)"
							+ (gpusVisible == 0 ? " (this plugin ships PyTorch's CPU build; use devices=cpu)" : "") + ".");
				return List.of(Device.gpu(gpu));
		}
	}
}
