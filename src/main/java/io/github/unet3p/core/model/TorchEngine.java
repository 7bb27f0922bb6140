package io.github.unet3p.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.engine.PtEngineProvider;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The one door to DJL's PyTorch engine. It loads the build {@link TorchBuild} chooses (the bundled
 * CPU build unless told otherwise), offline, whatever thread asks for it.
 *
 * <p>NB: DJL's settings are JVM-wide system properties, and other plugins in the same Fiji may use
 * DJL too (deepImageJ/JDLL, …). The properties {@link TorchBuild#djlProperties} lists are set only
 * while the engine starts and then restored to what they were (absent ones removed again), so
 * nothing of this plugin's choice stays in the JVM's properties. DJL reads them only while it
 * loads the native libraries.
 *
 * <p>NB: DJL finds its engine providers and native libraries through the thread context class
 * loader. In Fiji a command runs with a context loader that may not see the plugin's jars, so
 * this class swaps in its own loader while the engine starts, then restores the caller's.
 *
 * <p>NB: DJL looks its engines up once, when its {@code Engine} class initialises, with the context
 * class loader of that moment. If other code touched {@code Engine} first under a loader that
 * cannot see the PyTorch engine (Fiji's), DJL knows no engine for the rest of the session; this
 * class then registers the PyTorch provider itself.
 */
public final class TorchEngine {

	/** DJL's name of the PyTorch engine. */
	public static final String NAME = "PyTorch";

	private static volatile Engine engine;
	private static volatile TorchBuild build;

	private TorchEngine() {}

	/**
	 * The PyTorch engine, started on first use; never downloads anything.
	 *
	 * @throws InvalidInputException when the chosen build is refused ({@link TorchBuild#choose()})
	 *             or cannot be loaded (naming the build and DJL's reason)
	 */
	public static Engine get() {
		Engine e = engine;
		if (e != null) return e;
		synchronized (TorchEngine.class) {
			if (engine == null) engine = start();
			return engine;
		}
	}

	/** The build loaded in this JVM (starting the engine if needed). */
	public static TorchBuild build() {
		get();
		return build;
	}

	/** The build loaded in this JVM, empty when the engine has not started yet (never starts it). */
	public static Optional<TorchBuild> loadedBuild() {
		return Optional.ofNullable(engine == null ? null : build);
	}

	/**
	 * How many GPUs the loaded build can use: 0 for a CPU build (whatever the machine has), else
	 * what PyTorch's CUDA runtime counts.
	 */
	public static int gpuCount() {
		final Engine e = get();
		return build.isCuda() ? e.getGpuCount() : 0;
	}

	/**
	 * Turns PyTorch's recording of operations for gradients on or off for the calling thread and
	 * returns the previous setting, to be restored in a {@code finally}.
	 *
	 * <p>NB: PyTorch's gradient mode is per thread, and DJL turns it off only on the thread that
	 * started the engine. Every other thread (in Fiji each command runs on a new one) starts with
	 * it on: an in-place update of a trainable weight then fails ("a leaf Variable that requires
	 * grad is being used in an in-place operation") and inference records a graph it never needs.
	 */
	public static boolean setGradientRecording(final boolean on) {
		get();
		final boolean previous = ai.djl.pytorch.jni.JniUtils.isGradMode();
		ai.djl.pytorch.jni.JniUtils.setGradMode(on);
		return previous;
	}

	/**
	 * Sets how many threads PyTorch spreads one operation over (its intra-op threads) in this
	 * process, from now on; starts the engine if needed. A door that runs several models side by side
	 * (Spark runs {@code spark.executor.cores / spark.task.cpus} tasks per executor) gives each its share.
	 *
	 * <p>NB: the setting is PyTorch's, global to the process; each calling thread picks it up at its
	 * next operation. Without a call PyTorch uses {@code OMP_NUM_THREADS}, else one thread per core.
	 *
	 * @throws IllegalArgumentException if {@code threads < 1}
	 */
	public static void setIntraOpThreads(final int threads) {
		if (threads < 1) throw new IllegalArgumentException("intra-op threads must be at least 1, not " + threads);
		get();
		ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
	}

	/** PyTorch's intra-op threads in this process (see {@link #setIntraOpThreads}); starts the engine if needed. */
	public static int intraOpThreads() {
		get();
		return ai.djl.pytorch.jni.JniUtils.getNumThreads();
	}

	private static Engine start() {
		final TorchBuild.Environment env = TorchBuild.Environment.system();
		final TorchBuild chosen = TorchBuild.choose(env);
		chosen.requireInstalled();
		final Map<String, String> previous = new LinkedHashMap<>();
		for (final Map.Entry<String, String> p : chosen.djlProperties(TorchBuild.home(env)).entrySet())
			previous.put(p.getKey(), System.setProperty(p.getKey(), p.getValue()));
		final Thread thread = Thread.currentThread();
		final ClassLoader loader = thread.getContextClassLoader();
		thread.setContextClassLoader(TorchEngine.class.getClassLoader());
		try {
			if (!Engine.hasEngine(NAME)) Engine.registerEngine(new PtEngineProvider());
			final Engine started = Engine.getEngine(NAME);
			build = chosen;
			return started;
		}
		catch (final EngineException | UnsatisfiedLinkError e) {
			throw new InvalidInputException("PyTorch could not be loaded (" + chosen.describe() + "): " + rootMessage(e)
					+ (chosen.kind() == TorchBuild.Kind.CPU ? "" : ". Check the folder, or start with " + TorchBuild.ENV + "=cpu."), e);
		}
		finally {
			thread.setContextClassLoader(loader);
			for (final Map.Entry<String, String> p : previous.entrySet())
				if (p.getValue() == null) System.clearProperty(p.getKey());
				else System.setProperty(p.getKey(), p.getValue());
		}
	}

	private static String rootMessage(final Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t)
			t = t.getCause();
		return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
	}
}
