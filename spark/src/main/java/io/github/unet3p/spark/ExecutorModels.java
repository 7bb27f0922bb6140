package io.github.unet3p.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.EngineChoice;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.model.TorchEngine;

/**
 * The models of one executor JVM: a bundle is copied to the executor (when it is not on a local
 * disk) and opened once per task slot, then lent to every later task of that slot. A slot is one
 * task running at a time ({@code spark.executor.cores / spark.task.cpus} of them per executor), so
 * an executor holds at most that many copies of the network and opens each once for the job.
 *
 * <p>NB: one model per running task, not one per executor: a {@link BundleModel} serves one batch at
 * a time, so tasks sharing one model would wait for each other.
 */
final class ExecutorModels {

	private static final Map<String, Deque<BundleModel>> IDLE = new HashMap<>();
	private static final List<BundleModel> ALL = new ArrayList<>();
	private static final Map<String, java.nio.file.Path> LOCAL_BUNDLES = new HashMap<>();
	private static int threads;

	private ExecutorModels() {}

	/** A model lent to one task; closing it gives it back. */
	static final class Lease implements AutoCloseable {

		private final String key;
		private final BundleModel model;

		private Lease(final String key, final BundleModel model) {
			this.key = key;
			this.model = model;
		}

		/** The model. */
		BundleModel model() {
			return model;
		}

		@Override
		public void close() {
			synchronized (ExecutorModels.class) {
				IDLE.get(key).push(model);
			}
		}
	}

	/**
	 * Lends a model of the bundle {@code bundle} on the engine and in the precision of
	 * {@code settings}, opening one when every such model is in use, with {@code threadsPerTask}
	 * intra-op threads (PyTorch: for the whole JVM, set first; ONNX Runtime: per model).
	 *
	 * @throws io.github.unet3p.core.util.InvalidInputException naming the bundle when it cannot be
	 *             copied or opened
	 */
	static Lease borrow(final Path bundle, final InferenceSettings settings, final int threadsPerTask, final Configuration conf) throws IOException {
		// NB: engine=auto is decided here, on the executor: ONNX Runtime's natives and a GPU are the executor's.
		final EngineChoice.Decision engine = EngineChoice.resolve(settings.engine(), settings.precision());
		final String key = bundle + "|" + engine.engine() + "|" + settings.precision() + "|" + threadsPerTask;
		final java.nio.file.Path local;
		synchronized (ExecutorModels.class) {
			if (engine.engine() == InferenceEngine.PYTORCH && threads != threadsPerTask) {
				TorchEngine.setIntraOpThreads(threadsPerTask);
				threads = threadsPerTask;
			}
			final BundleModel idle = IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).poll();
			if (idle != null) return new Lease(key, idle);
			local = localBundle(bundle, conf);
		}
		// Opening takes a while: done outside the lock, so other slots go on meanwhile.
		// auto that decided PyTorch opens PyTorch (its reason said once here); otherwise auto keeps its
		// cache refresh and fallback in ProbabilityModels. Messages go to the executor's log.
		if (engine.reason() != null) System.err.println(engine.reason());
		final InferenceEngine opened = engine.engine() == InferenceEngine.PYTORCH ? InferenceEngine.PYTORCH : settings.engine();
		final BundleModel model = ProbabilityModels.open(local, opened, settings.precision(), threadsPerTask, System.err::println);
		synchronized (ExecutorModels.class) {
			ALL.add(model);
		}
		return new Lease(key, model);
	}

	/** How many models this JVM has opened (for tests and the job's report). */
	static synchronized int opened() {
		return ALL.size();
	}

	/** Closes every model (the end of a local run, where the driver is the executor). */
	static synchronized void closeAll() {
		for (final BundleModel m : ALL)
			m.close();
		ALL.clear();
		IDLE.clear();
	}

	private static java.nio.file.Path localBundle(final Path bundle, final Configuration conf) throws IOException {
		java.nio.file.Path local = LOCAL_BUNDLES.get(bundle.toString());
		if (local == null) {
			final java.nio.file.Path scratch = Files.createTempDirectory("unet3p-model-");
			scratch.toFile().deleteOnExit();
			local = HadoopFiles.readable(bundle, conf, scratch);
			LOCAL_BUNDLES.put(bundle.toString(), local);
		}
		return local;
	}
}
