package io.github.unet3p.core.model;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Run in a child JVM by {@link TorchEngineClassLoaderTest}: loads the plugin and DJL from a
 * {@link URLClassLoader} that only it can see (parent: the platform loader), with an unrelated
 * thread context class loader, as a Fiji plugin runs, and multiplies a 2×2 matrix by itself.
 * Prints {@code product=7,10,15,22} and {@code context-restored=true}; exits 1 on any failure.
 *
 * <p>Arguments: {@code torch-first} or {@code engine-class-first} (DJL's {@code Engine} class is
 * initialised under the unrelated loader before {@code TorchEngine.get()}, as happens when other
 * code asks DJL for an engine first), then the plugin's class path.
 */
public final class IsolatedEngineProbe {

	private IsolatedEngineProbe() {}

	public static void main(final String... args) throws Exception {
		final boolean engineClassFirst = args[0].equals("engine-class-first");
		final String[] classPath = java.util.Arrays.copyOfRange(args, 1, args.length);
		final URL[] urls = new URL[classPath.length];
		for (int i = 0; i < classPath.length; i++)
			urls[i] = new File(classPath[i]).toURI().toURL();
		try (URLClassLoader plugin = new URLClassLoader("plugin", urls, ClassLoader.getPlatformClassLoader());
				URLClassLoader unrelated = new URLClassLoader("unrelated", new URL[0], ClassLoader.getPlatformClassLoader())) {
			check(plugin.loadClass(IsolatedEngineProbe.class.getName().replace("IsolatedEngineProbe", "TorchEngine")).getClassLoader() == plugin,
					"TorchEngine must come from the plugin loader");
			check(!canLoad(ClassLoader.getSystemClassLoader(), "ai.djl.engine.Engine"), "the application class path must not see DJL");
			Thread.currentThread().setContextClassLoader(unrelated);
			if (engineClassFirst) Class.forName("ai.djl.engine.Engine", true, plugin);
			final Class<?> torch = plugin.loadClass("io.github.unet3p.core.model.TorchEngine");
			final Object engine = torch.getMethod("get").invoke(null);
			check(Thread.currentThread().getContextClassLoader() == unrelated, "the caller's context class loader must be restored");
			System.out.println("context-restored=true");
			final Class<?> engineType = plugin.loadClass("ai.djl.engine.Engine");
			final Class<?> managerType = plugin.loadClass("ai.djl.ndarray.NDManager");
			final Class<?> arrayType = plugin.loadClass("ai.djl.ndarray.NDArray");
			final Class<?> shapeType = plugin.loadClass("ai.djl.ndarray.types.Shape");
			System.out.println("engine=" + engineType.getMethod("getEngineName").invoke(engine));
			// Afterwards DJL's own lookup by name works too, whatever the context loader.
			check(engineType.getMethod("getEngine", String.class).invoke(null, "PyTorch") == engine, "Engine.getEngine(\"PyTorch\") must find it");
			final Object manager = engineType.getMethod("newBaseManager").invoke(engine);
			try {
				final Object shape = shapeType.getConstructor(long[].class).newInstance((Object) new long[] { 2, 2 });
				final Object a = managerType.getMethod("create", float[].class, shapeType).invoke(manager, new float[] { 1, 2, 3, 4 }, shape);
				final Object product = arrayType.getMethod("matMul", arrayType).invoke(a, a);
				final float[] values = (float[]) arrayType.getMethod("toFloatArray").invoke(product);
				final StringBuilder sb = new StringBuilder("product=");
				for (int i = 0; i < values.length; i++)
					sb.append(i == 0 ? "" : ",").append((int) values[i]);
				System.out.println(sb);
			}
			finally {
				final Method close = AutoCloseable.class.getMethod("close");
				close.invoke(manager);
			}
		}
	}

	private static boolean canLoad(final ClassLoader loader, final String name) {
		try {
			Class.forName(name, false, loader);
			return true;
		}
		catch (final ClassNotFoundException e) {
			return false;
		}
	}

	private static void check(final boolean condition, final String message) {
		if (!condition) throw new IllegalStateException(message);
	}
}
