package io.github.unet3p.core.infer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.unet3p.core.model.BundleArchive;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.onnx.OnnxExport;
import io.github.unet3p.core.onnx.OnnxMetadata;
import io.github.unet3p.core.onnx.OnnxModelFile;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * A trained model bundle as a {@link ProbabilityModel} on ONNX Runtime: the bundle's
 * {@value OnnxExport#FILE} (see {@link OnnxExport}) in an ONNX Runtime session with every graph
 * optimisation on, on the CPU. Close it to free the session.
 *
 * <p>Which file runs: a folder bundle's {@value OnnxExport#FILE} when it is there, after checking
 * that it was exported from this bundle's architecture, preparation and weights (any difference is
 * refused, naming it); when it is missing, the bundle is exported on the fly (through the PyTorch
 * engine, which reads the weights) and the result is cached in the bundle folder, written
 * atomically, so the next run starts at once. A zipped bundle is exported in memory every time (its
 * zip is never changed).
 *
 * <p>NB: ONNX Runtime folds every BatchNorm into its convolution when it loads the graph (its
 * basic optimisations), so both {@link Precision}s run the same folded arithmetic here; the
 * probabilities differ from the PyTorch engine's by float rounding only (tested ≤ 1e-4).
 *
 * <p>NB: one intra-op thread per processor the JVM sees ({@link Runtime#availableProcessors()},
 * which honours container limits; ONNX Runtime's own default counts the host's cores), unless
 * {@link #open(Path, int)} is given a count (a Spark task: {@code spark.task.cpus}).
 */
public final class OrtProbabilityModel extends OpenedBundleModel {

	private final OrtSession session;
	private final String inputName;
	private FloatBuffer input;

	private OrtProbabilityModel(final Path folder, final ModelBundle bundle, final OrtSession session) {
		super(folder, bundle);
		this.session = session;
		this.inputName = session.getInputNames().iterator().next();
	}

	/**
	 * Opens the model bundle at {@code path} (a folder or a {@code .zip} of one) on ONNX Runtime,
	 * exporting and caching its {@value OnnxExport#FILE} first when a folder bundle has none.
	 *
	 * @throws InvalidInputException naming the file when the bundle cannot be read, or its
	 *             {@value OnnxExport#FILE} is truncated, not an ONNX model, or was exported from
	 *             another architecture, preparation or weights
	 */
	public static OrtProbabilityModel open(final Path path) {
		return open(path, 0);
	}

	/**
	 * {@link #open(Path)} with {@code threads} intra-op threads ({@code 0}: one per processor the
	 * JVM sees); a Spark task gets {@code spark.task.cpus}.
	 */
	public static OrtProbabilityModel open(final Path path, final int threads) {
		return open(path, threads, null);
	}

	/**
	 * {@link #open(Path, int)} for {@code engine=auto}: a cached {@value OnnxExport#FILE} that is
	 * stale (another architecture, preparation or weights: a resumed training) or unreadable is
	 * exported again and replaced, and a folder that cannot take the cache keeps the export in
	 * memory; {@code messages} hears both. {@code messages == null}: refuse a bad cache by name.
	 *
	 * @throws RefusedGraphException when ONNX Runtime cannot load the graph
	 */
	static OrtProbabilityModel open(final Path path, final int threads, final Consumer<String> messages) {
		try (BundleArchive archive = BundleArchive.open(path)) {
			final ModelBundle bundle = archive.read();
			final Path weights = archive.folder().resolve(ModelBundle.WEIGHTS_FILE);
			if (!Files.isRegularFile(weights))
				throw new InvalidInputException("Model " + path + " has no " + ModelBundle.WEIGHTS_FILE + " (training never finished an epoch?).");
			final Path cached = archive.folder().resolve(OnnxExport.FILE);
			OnnxModelFile onnx = null;
			if (!archive.extracted() && Files.exists(cached)) {
				try {
					onnx = OnnxModelFile.read(cached);
					onnx.checkMatches(bundle, OnnxMetadata.sha256(weights));
				}
				catch (final InvalidInputException e) {
					if (messages == null) throw e;
					messages.accept("engine=auto: exporting " + cached + " again (" + e.getMessage() + ")");
					onnx = null;
				}
			}
			if (onnx == null) {
				final byte[] bytes = OnnxExport.export(archive, bundle);
				if (!archive.extracted() && !cache(bytes, cached) && messages != null)
					messages.accept("engine=auto: " + archive.folder() + " is not writable; the ONNX export is kept in memory (exported again next time).");
				onnx = OnnxModelFile.parse(archive.extracted() ? path.resolveSibling(path.getFileName() + "!/" + OnnxExport.FILE) : cached, bytes);
			}
			return new OrtProbabilityModel(path, bundle, session(onnx.bytes(), onnx.file(), bundle, threads));
		}
	}

	/** ONNX Runtime refused a graph ({@code engine=auto} then runs PyTorch). */
	static final class RefusedGraphException extends InvalidInputException {

		private static final long serialVersionUID = 1L;

		RefusedGraphException(final String message, final Throwable cause) {
			super(message, cause);
		}
	}

	/**
	 * A model running {@code onnx} (an export of {@code bundle}'s architecture), not read from a
	 * bundle folder: for benchmarks of random weights.
	 *
	 * @throws InvalidInputException when ONNX Runtime refuses the model
	 */
	public static OrtProbabilityModel of(final byte[] onnx, final ModelBundle bundle, final Path name) {
		return new OrtProbabilityModel(name, bundle, session(onnx, name, bundle, 0));
	}

	/** Writes the export into the bundle folder; false when the folder cannot be written (the export then stays in memory only). */
	private static boolean cache(final byte[] bytes, final Path file) {
		try {
			io.github.unet3p.core.util.AtomicFiles.write(file, bytes);
			return true;
		}
		catch (final java.io.IOException e) {
			// NB: a read-only bundle (a shared folder) still runs; it is exported again next time.
			return false;
		}
	}

	private static OrtSession session(final byte[] bytes, final Path file, final ModelBundle bundle, final int threads) {
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			options.setIntraOpNumThreads(threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors()));
			options.setInterOpNumThreads(1);
			final OrtSession session = env.createSession(bytes, options);
			try {
				check(session, file, bundle);
				return session;
			}
			catch (final RuntimeException | OrtException e) {
				session.close();
				throw e;
			}
		}
		catch (final OrtException e) {
			throw new RefusedGraphException(file + ": ONNX Runtime cannot load it (" + e.getMessage() + "). Delete it, or write it again with UNet3+ Export.", e);
		}
	}

	/** Refuses a session whose input or output is not (N, 3, size, size) → (N, classes, size, size) float. */
	private static void check(final OrtSession session, final Path file, final ModelBundle bundle) throws OrtException {
		final int size = bundle.architecture().size();
		final long[] in = shape(session.getInputInfo());
		final long[] out = shape(session.getOutputInfo());
		if (in == null || in.length != 4 || in[1] != 3 || in[2] != size || in[3] != size || out == null || out.length != 4
				|| out[1] != bundle.architecture().classes() || out[2] != size || out[3] != size)
			throw new InvalidInputException(file + ": its graph does not map (N, 3, " + size + ", " + size + ") to (N, " + bundle.architecture().classes() + ", "
					+ size + ", " + size + ") float tensors. Delete it, or write it again with UNet3+ Export.");
	}

	private static long[] shape(final Map<String, NodeInfo> infos) {
		if (infos.size() != 1) return null;
		final NodeInfo info = infos.values().iterator().next();
		if (!(info.getInfo() instanceof TensorInfo t) || t.type != ai.onnxruntime.OnnxJavaType.FLOAT) return null;
		return t.getShape();
	}

	/** {@link InferenceEngine#ONNXRUNTIME}. */
	@Override
	public InferenceEngine engine() {
		return InferenceEngine.ONNXRUNTIME;
	}

	@Override
	float[] run(final float[] batchNCHW, final int batch, final int size) {
		if (input == null || input.capacity() < batchNCHW.length)
			input = ByteBuffer.allocateDirect(batchNCHW.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
		input.clear();
		input.put(batchNCHW).flip();
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OnnxTensor x = OnnxTensor.createTensor(env, input, new long[] { batch, CHANNELS, size, size });
				OrtSession.Result result = session.run(Map.of(inputName, x))) {
			final OnnxValue out = result.get(0);
			final FloatBuffer values = ((OnnxTensor) out).getFloatBuffer();
			final float[] probabilities = new float[(int) ((long) batch * classes() * size * size)];
			if (values.remaining() != probabilities.length)
				throw new IllegalStateException(folder() + ": ONNX Runtime returned " + values.remaining() + " values, expected " + probabilities.length);
			values.get(probabilities);
			return probabilities;
		}
		catch (final OrtException e) {
			throw new IllegalStateException("ONNX Runtime failed on " + folder() + ": " + e.getMessage(), e);
		}
	}

	/** Frees the session. */
	@Override
	void release() {
		try {
			session.close();
		}
		catch (final OrtException e) {
			throw new IllegalStateException("closing the ONNX Runtime session of " + folder() + ": " + e.getMessage(), e);
		}
	}
}
