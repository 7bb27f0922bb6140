package io.github.unet3p.core.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngineProvider;

/**
 * The one door to DJL's PyTorch engine. It loads the engine offline, from the
 * {@code pytorch-native-cpu} jar on the class path, whatever thread asks for it.
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

	private TorchEngine() {}

	/** The PyTorch engine, started on first use; never downloads anything. */
	public static Engine get() {
		Engine e = engine;
		if (e != null) return e;
		synchronized (TorchEngine.class) {
			if (engine == null) engine = start();
			return engine;
		}
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
		if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
		// One PyTorch build is shipped (CPU, from the class path): never look for another.
		if (System.getProperty("PYTORCH_FLAVOR") == null && System.getenv("PYTORCH_FLAVOR") == null)
			System.setProperty("PYTORCH_FLAVOR", "cpu");
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(TorchEngine.class.getClassLoader());
		try {
			if (!Engine.hasEngine(NAME)) Engine.registerEngine(new PtEngineProvider());
			return Engine.getEngine(NAME);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}
}
