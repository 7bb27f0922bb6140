package io.github.unet3p.bench;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.github.unet3p.core.model.TorchEngine;

/**
 * Speed of single 3×3 convolutions ("same" padding, bias) through DJL, for the profile of where a
 * UNet 3+ forward spends its time: {@code ConvProbe SIZE CIN COUT [BATCH [REPEATS]]}, prints
 * {@code conv CINxSIZE² -> COUT: X ms, Y GFLOP/s} (one untimed call first).
 */
public final class ConvProbe {

	private ConvProbe() {}

	public static void main(final String[] args) {
		final int size = Integer.parseInt(args[0]);
		final int cin = Integer.parseInt(args[1]);
		final int cout = Integer.parseInt(args[2]);
		final int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1;
		final int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 5;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray x = m.randomUniform(0, 1, new Shape(batch, cin, size, size));
			final NDArray w = m.randomUniform(-0.1f, 0.1f, new Shape(cout, cin, 3, 3));
			final NDArray b = m.zeros(new Shape(cout));
			Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1)).close();
			final long t0 = System.nanoTime();
			for (int i = 0; i < repeats; i++)
				Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1)).close();
			final double s = (System.nanoTime() - t0) / 1e9 / repeats;
			System.out.printf(Locale.ROOT, "DJL conv %dx%d² -> %d, batch %d: %.1f ms, %.1f GFLOP/s%n", cin, size, cout, batch, 1000 * s,
					2.0 * 9 * cin * cout * size * size * batch / s / 1e9);
		}
	}
}
