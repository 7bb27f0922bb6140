package io.github.unet3p.bench;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import io.github.unet3p.core.model.TorchEngine;

/**
 * Whether DJL's PyTorch engine runs the operations of a UNet 3+ forward in a reduced precision on
 * this CPU, how far each result is from float32, and how fast a 3×3 convolution is in both types:
 * {@code Bf16Probe [TYPE [SIZE CIN COUT BATCH REPEATS]]}, TYPE {@code bfloat16} (default) or
 * {@code float16}, default 160 64 64 1 10. Prints one line per operation ({@code ok}, max
 * |reduced − fp32|) or the engine's error, then the convolution timings (alternating fp32, reduced,
 * ... so that a load change hits both alike).
 *
 * <p>NB: with DJL 0.36 (PyTorch 2.7.1) {@code bfloat16} ends the JVM right after
 * {@code casting to bfloat16 ...} is printed ("terminate called without an active exception"):
 * the engine's native code cannot create an array of that type; that abort is the finding.
 */
public final class Bf16Probe {

	private Bf16Probe() {}

	public static void main(final String[] args) {
		final DataType type = args.length > 0 && args[0].equals("float16") ? DataType.FLOAT16 : DataType.BFLOAT16;
		final int size = args.length > 1 ? Integer.parseInt(args[1]) : 160;
		final int cin = args.length > 2 ? Integer.parseInt(args[2]) : 64;
		final int cout = args.length > 3 ? Integer.parseInt(args[3]) : 64;
		final int batch = args.length > 4 ? Integer.parseInt(args[4]) : 1;
		final int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 10;
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			JniUtils.setGradMode(false);
			System.out.println("PyTorch " + TorchEngine.get().getVersion() + ", intra-op threads " + JniUtils.getNumThreads() + ", inter-op "
					+ JniUtils.getNumInteropThreads());
			m.getEngine().setRandomSeed(5);
			final NDArray x = m.randomUniform(0, 1, new Shape(batch, cin, size, size));
			final NDArray w = m.randomUniform(-0.05f, 0.05f, new Shape(cout, cin, 3, 3));
			final NDArray b = m.randomUniform(-0.1f, 0.1f, new Shape(cout));
			System.out.println("casting to " + type + " ...");
			System.out.flush();
			final NDArray xb = x.toType(type, false);
			final NDArray wb = w.toType(type, false);
			final NDArray bb = b.toType(type, false);
			System.out.println("reduced-precision array: " + xb.getDataType() + " " + xb.getShape());
			probe("conv2d", () -> Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1)).head(),
					() -> Conv2d.conv2d(xb, wb, bb, new Shape(1, 1), new Shape(1, 1)).head());
			final NDArray mean = m.randomUniform(-0.1f, 0.1f, new Shape(cin));
			final NDArray var = m.randomUniform(0.5f, 1.5f, new Shape(cin));
			final NDArray gamma = m.randomUniform(0.5f, 1.5f, new Shape(cin));
			final NDArray beta = m.randomUniform(-0.1f, 0.1f, new Shape(cin));
			probe("batchnorm (fp32 stats)", () -> BatchNorm.batchNorm(x, mean, var, gamma, beta, 1, 0.99f, 1e-3f, false).head(),
					() -> BatchNorm.batchNorm(xb, mean, var, gamma, beta, 1, 0.99f, 1e-3f, false).head());
			probe("batchnorm (reduced stats)", () -> BatchNorm.batchNorm(x, mean, var, gamma, beta, 1, 0.99f, 1e-3f, false).head(),
					() -> BatchNorm.batchNorm(xb, mean.toType(type, false), var.toType(type, false),
							gamma.toType(type, false), beta.toType(type, false), 1, 0.99f, 1e-3f, false).head());
			probe("relu", () -> Activation.relu(x), () -> Activation.relu(xb));
			probe("maxpool 2", () -> Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false),
					() -> Pool.maxPool2d(xb, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false));
			probe("bilinear x2", () -> x.getNDArrayInternal().interpolation(new long[] { 2L * size, 2L * size }, 1, false),
					() -> xb.getNDArrayInternal().interpolation(new long[] { 2L * size, 2L * size }, 1, false));
			probe("concat", () -> NDArrays.concat(new NDList(x, x), 1), () -> NDArrays.concat(new NDList(xb, xb), 1));
			probe("softmax", () -> x.softmax(1), () -> xb.softmax(1));
			probe("sigmoid", () -> Activation.sigmoid(x), () -> Activation.sigmoid(xb));

			final int rounds = repeats;
			Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1)).close();
			Conv2d.conv2d(xb, wb, bb, new Shape(1, 1), new Shape(1, 1)).close();
			final double[] fp32 = new double[rounds];
			final double[] bf16 = new double[rounds];
			for (int i = 0; i < rounds; i++) {
				long t0 = System.nanoTime();
				Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1)).close();
				fp32[i] = (System.nanoTime() - t0) / 1e6;
				t0 = System.nanoTime();
				Conv2d.conv2d(xb, wb, bb, new Shape(1, 1), new Shape(1, 1)).close();
				bf16[i] = (System.nanoTime() - t0) / 1e6;
			}
			final double f = median(fp32);
			final double h = median(bf16);
			final double flop = 2.0 * 9 * cin * cout * (double) size * size * batch;
			System.out.printf(Locale.ROOT, "conv %dx%d² -> %d batch %d: fp32 %.1f ms (%.1f GFLOP/s), %s %.1f ms (%.1f GFLOP/s), speed-up %.2fx (medians of %d)%n",
					cin, size, cout, batch, f, flop / f / 1e6, type, h, flop / h / 1e6, f / h, rounds);
		}
	}

	private interface Op {
		NDArray run();
	}

	private static void probe(final String name, final Op fp32, final Op bf16) {
		try {
			final NDArray a = fp32.run();
			final NDArray r = bf16.run();
			final NDArray back = r.toType(DataType.FLOAT32, false);
			final float err = back.sub(a).abs().max().getFloat();
			final float scale = a.abs().max().getFloat();
			System.out.printf(Locale.ROOT, "%-24s ok: result %s, max |reduced - fp32| = %.3g (max |fp32| = %.3g)%n", name, r.getDataType(), err, scale);
		}
		catch (final RuntimeException e) {
			System.out.printf(Locale.ROOT, "%-24s FAILED: %s%n", name, e.toString().replace('\n', ' '));
		}
	}

	private static double median(final double[] v) {
		final double[] s = v.clone();
		java.util.Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}
}
