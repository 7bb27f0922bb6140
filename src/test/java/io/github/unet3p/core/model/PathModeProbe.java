package io.github.unet3p.core.model;

import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * Run in a child JVM by {@link TorchBuildForkedTest} with {@code UNET3P_TORCH} set: starts the
 * engine, prints the build, the folder DJL loaded libtorch from, whether DJL's JVM-wide properties
 * are gone again, and a forward pass of a small seeded UNet3+ ({@code forward=<sum>,<first values>}).
 * Exits 1 on any failure.
 */
public final class PathModeProbe {

	private static final String[] DJL_KEYS = { "ai.djl.offline", "PYTORCH_FLAVOR", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "ENGINE_CACHE_DIR",
		"ai.djl.pytorch.cudnn_benchmark" };

	private PathModeProbe() {}

	public static void main(final String... args) {
		try {
			final EngineInfo info = EngineInfo.current();
			System.out.println("kind=" + info.build().kind().key());
			System.out.println("flavor=" + info.build().flavor());
			System.out.println("library=" + info.libraryPath());
			System.out.println("version=" + info.version());
			final StringBuilder left = new StringBuilder();
			for (final String k : DJL_KEYS)
				if (System.getProperty(k) != null) left.append(k).append('=').append(System.getProperty(k)).append(' ');
			System.out.println("properties-left=" + left.toString().trim());
			for (final String line : info.lines())
				System.out.println("info: " + line);
			final ModelSpec spec = ModelSpec.builder().optFilters(4).optSize(32).optBackbone(Backbone.UNET3PLUS).build();
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
			try (NDManager m = TorchEngine.get().newBaseManager()) {
				net.initialize(m, 7);
				final float[] x = new float[2 * 3 * 32 * 32];
				final java.util.SplittableRandom r = new java.util.SplittableRandom(3);
				for (int i = 0; i < x.length; i++)
					x[i] = (float) r.nextDouble();
				final NDArray in = EngineArrays.create(m, x, net.inputShape(2));
				final NDList out = net.infer(new ParameterStore(m, false), in);
				final float[] y = out.head().toFloatArray();
				double sum = 0;
				for (final float v : y)
					sum += v;
				System.out.println(String.format(Locale.ROOT, "forward=%.6f,%s,%s,%s", sum, Float.toHexString(y[0]), Float.toHexString(y[100]), Float.toHexString(y[y.length - 1])));
			}
		}
		catch (final Throwable t) {
			System.out.println("error=" + t);
			t.printStackTrace(System.out);
			System.exit(1);
		}
	}
}
