package io.github.unet3p.core.infer;

import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.BundleArchive;
import io.github.unet3p.core.model.HalfPrecisionStore;
import io.github.unet3p.core.model.TorchBuild;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.model.EngineArrays;

/**
 * A trained model bundle as a {@link ProbabilityModel}: the UNet 3+ network on DJL's PyTorch
 * engine, in inference mode (BatchNorm moving statistics, no dropout, output {@code d1} only),
 * in the {@link Precision} it was opened with. Close it to free the native memory of its weights.
 *
 * <p>Each {@link #predict} call creates its input and output arrays in its own sub-manager, closed
 * before the call returns, so nothing native accumulates however many batches are segmented.
 * Calls are serialised (the network is used by one batch at a time; PyTorch already spreads one
 * batch over the cores).
 *
 * <p>NB: this is the one class of {@code core.infer} that depends on DJL and {@code core.model};
 * no DJL type appears in its public signatures.
 */
public final class TorchProbabilityModel extends OpenedBundleModel {

	private final NDManager manager;
	private final UNet3PlusNet net;
	private final ParameterStore store;
	private final Precision precision;

	private TorchProbabilityModel(final Path folder, final ModelBundle bundle, final NDManager manager, final UNet3PlusNet net,
			final Precision precision) {
		super(folder, bundle);
		this.precision = precision;
		this.manager = manager;
		this.net = net;
		this.store = precision == Precision.FP16 ? new HalfPrecisionStore(manager) : new ParameterStore(manager, false);
	}

	/**
	 * Opens the model bundle {@code folder} (a bundle folder or a {@code .zip} of one, unpacked
	 * safely by {@link BundleArchive}): reads its spec, builds the network and loads its weights,
	 * in {@link Precision#FP32}, the arithmetic it was trained with.
	 *
	 * @throws InvalidInputException naming the file when it is not a model bundle, its spec is
	 *             malformed or from a newer version, or its weights are missing or do not fit
	 */
	public static TorchProbabilityModel open(final Path folder) {
		return open(folder, Precision.FP32);
	}

	/**
	 * Opens the model bundle {@code folder} as {@link #open(Path)} does and prepares its network for
	 * {@code precision}: for {@link Precision#FP32_FOLDED} every BatchNorm is folded into its
	 * convolution once, here.
	 *
	 * @throws InvalidInputException as {@link #open(Path)}
	 */
	public static TorchProbabilityModel open(final Path folder, final Precision precision) {
		requireRunnable(precision);
		return open(folder, precision, TorchEngine.get().defaultDevice());
	}

	/**
	 * Refuses a precision this JVM's engine cannot run: {@link Precision#FP16} without a GPU (on
	 * the CPU float16 convolutions are about 50× slower than float32).
	 *
	 * @throws InvalidInputException naming the key, the loaded build and what to do instead
	 */
	public static void requireRunnable(final Precision precision) {
		if (!precision.needsGpu() || TorchEngine.get().defaultDevice().isGpu()) return;
		final TorchBuild build = TorchEngine.build();
		throw new InvalidInputException(InferenceKeys.PRECISION + "=" + precision + " runs on a GPU only, and PyTorch has none here ("
				+ (build.isCuda() ? "the CUDA build is loaded but finds no GPU" : "the PyTorch build loaded is a CPU build: " + build.describe())
				+ "). On the CPU use precision=" + Precision.FP32 + " or " + Precision.FP32_FOLDED + "; for a GPU start with " + TorchBuild.ENV + "=cuda (see UNet3+ Engine).");
	}

	/** Opens the bundle on {@code device} without the GPU check (tests run float16 on the CPU). */
	static TorchProbabilityModel open(final Path folder, final Precision precision, final ai.djl.Device device) {
		java.util.Objects.requireNonNull(precision, InferenceKeys.PRECISION);
		final NDManager manager = TorchEngine.get().newBaseManager(device);
		try (BundleArchive archive = BundleArchive.open(folder)) {
			final ModelBundle bundle = archive.read();
			final UNet3PlusNet net = archive.loadNetwork(bundle, manager);
			if (precision == Precision.FP32_FOLDED) net.foldBatchNorm(manager);
			return new TorchProbabilityModel(folder, bundle, manager, net, precision);
		}
		catch (final RuntimeException | Error e) {
			manager.close();
			throw e;
		}
	}

	/** The arithmetic this model runs in. */
	public Precision precision() {
		return precision;
	}

	/** {@link InferenceEngine#PYTORCH}. */
	@Override
	public InferenceEngine engine() {
		return InferenceEngine.PYTORCH;
	}

	@Override
	float[] run(final float[] batchNCHW, final int batch, final int size) {
		try (NDManager scope = manager.newSubManager()) {
			NDArray x = EngineArrays.create(scope, batchNCHW, new Shape(batch, CHANNELS, size, size));
			if (precision == Precision.FP16) x = x.toType(DataType.FLOAT16, false);
			// NB: infer, not forward: no gradient recording on this (any) thread, and every
			// intermediate array freed as soon as it is consumed (native memory ~ a few activations).
			final NDList out = net.infer(store, x);
			out.attach(scope);
			final NDArray probabilities = precision == Precision.FP16 ? out.head().toType(DataType.FLOAT32, false) : out.head();
			return probabilities.toFloatArray();
		}
	}

	/** Number of native arrays this model holds between calls (its weights); for leak checks. */
	int managedArrays() {
		return manager.getManagedArrays().size();
	}

	/** Frees the network's native memory. */
	@Override
	void release() {
		manager.close();
	}
}
