package io.github.unet3p.bench;


import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.github.unet3p.core.model.TorchEngine;

/**
 * This CPU's practical fp32 ceiling through DJL: an {@code n × n} by {@code n × n} matrix
 * product repeated, the best single product counted as {@code 2·n³} floating-point operations each.
 *
 * <p>{@code MatmulPeak [n [repeats]]}, default 2048 10; one untimed product first. Prints
 * {@code DJL matmul N×N fp32, T threads: X GFLOP/s}.
 */
public final class MatmulPeak {

	private MatmulPeak() {}

	public static void main(final String[] args) {
		final int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
		final int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray a = m.randomUniform(0, 1, new Shape(n, n));
			final NDArray b = m.randomUniform(0, 1, new Shape(n, n));
			a.matMul(b).close();
			final double[] seconds = new double[repeats];
			for (int i = 0; i < repeats; i++) {
				final long t0 = System.nanoTime();
				a.matMul(b).close();
				seconds[i] = (System.nanoTime() - t0) / 1e9;
			}
			System.out.println(PeakReport.line("DJL matmul", n, JniUtils.getNumThreads(), seconds));
		}
	}
}
