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
