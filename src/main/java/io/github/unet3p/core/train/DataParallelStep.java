package io.github.unet3p.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.Scalars;
import io.github.unet3p.core.model.TorchEngine;

/**
 * Data-parallel training: each batch is split into contiguous parts, one per device; every device
 * runs forward and backward on its part with its own copy of the weights; the gradients are summed
 * onto the first device, where one Adam update changes the master weights (the only weights that
 * are validated, checkpointed and saved). Before each step the master weights are copied to the
 * other devices.
 *
 * <p>The part losses are weighted by their share of the batch ({@code n_k / n}) and the L2 penalty
 * is added once (to the first part), so the summed gradient is the gradient of the full-batch
 * loss: every loss of this plugin is a mean over images, hence exactly the size-weighted mean of
 * the parts' losses. This holds for any split, uneven ones included.
 *
 * <p>NB: BatchNorm. In training mode each device normalises its part with the part's own mean and
 * variance (as PyTorch's {@code DataParallel} and TensorFlow's {@code MirroredStrategy} do without
 * synchronised BatchNorm), so activations and gradients differ from a single device's by the
 * difference between part and batch statistics; with parts of 8 or more 320×320 slices it is
 * small, with parts of 1–2 slices it is not. After each step the moving statistics of all devices
 * are averaged, weighted by part size, into the master. For the first BatchNorm (same inputs as on
 * one device) the moving mean is then the one a single device computes for the batch (up to
 * rounding) and the moving variance is the weighted mean of the parts' variances, smaller than the
 * batch variance by the spread of the part means (and by PyTorch's {@code n/(n−1)} correction taken
 * per part); deeper BatchNorms see activations normalised with part statistics, so both of their
 * statistics differ somewhat. {@code bn_recalibrate=N} replaces them
 * after each epoch by statistics computed on the first device.
 *
 * <p>NB: dropout (the CGM variant) draws a different random stream per part, so a CGM run is not
 * bitwise the run a single device would make. Work on the devices is launched from the calling
 * thread in device order; CUDA runs it asynchronously, so the devices overlap.
 *
 * <p>The same code runs with several parts on one device (the devices list may repeat a device):
 * that is how the gradient arithmetic is tested on a machine without GPUs.
 */
final class DataParallelStep implements BatchStep {

	private final StepObjective objective;
	private final KerasAdam adam;
	private final List<Parameter> trainable;
	private final List<Parameter> statistics = new ArrayList<>();
	private final List<Parameter> all = new ArrayList<>();
	private final List<Device> devices;
	private final NDManager root;
	private final List<NDManager> managers = new ArrayList<>();
	private final List<ParameterStore> stores = new ArrayList<>();

	DataParallelStep(final StepObjective objective, final KerasAdam adam, final List<Parameter> trainable, final List<Device> devices, final NDManager root) {
		this.objective = objective;
		this.adam = adam;
		this.trainable = trainable;
		this.devices = Collections.unmodifiableList(new ArrayList<>(devices));
		this.root = root;
		for (final Parameter p : objective.net().block().getParameters().values()) {
			all.add(p);
			if (!p.requiresGradient()) statistics.add(p);
		}
		for (int k = 0; k < devices.size(); k++) {
			final NDManager m = k == 0 ? root : root.newSubManager(devices.get(k));
			managers.add(m);
			// Device 0 works on the master arrays themselves; every other device on its own copy.
			stores.add(k == 0 ? new ParameterStore(m, false) : new ReplicaStore(m, all));
		}
	}

	/**
	 * A copy of every parameter on one device, handed out to the forward pass on that device.
	 *
	 * <p>NB: not DJL's {@code ParameterStore(manager, true)}: its "copy" on the device the parameter
	 * already lives on is PyTorch's {@code to(device)}, which returns the same tensor, so parts on
	 * one device would share (and overwrite) the master weights. The copies are made here, once,
	 * outside any {@code NDScope} (a scope would free them when it closes).
	 */
	private static final class ReplicaStore extends ParameterStore {

		private final java.util.Map<String, NDArray> copies = new java.util.HashMap<>();

		ReplicaStore(final NDManager manager, final List<Parameter> parameters) {
			super(manager, true);
			final boolean recording = TorchEngine.setGradientRecording(false);
			try {
				for (final Parameter p : parameters) {
					final NDArray master = p.getArray();
					final NDArray copy = master.getDevice().equals(manager.getDevice()) ? master.duplicate() : master.toDevice(manager.getDevice(), true);
					copy.attach(manager);
					if (p.requiresGradient()) copy.setRequiresGradient(true);
					copies.put(p.getId(), copy);
				}
			}
			finally {
				TorchEngine.setGradientRecording(recording);
			}
		}

		@Override
		public NDArray getValue(final Parameter parameter, final Device device, final boolean training) {
			if (parameter == null) return null;
			final NDArray copy = copies.get(parameter.getId());
			if (copy == null) throw new IllegalStateException("no copy of parameter " + parameter.getName() + " on " + device);
			return copy;
		}
	}

	/** The sizes of the parts a batch of {@code n} images is split into for {@code parts} devices: as even as possible, larger first, no empty part. */
	static int[] split(final int n, final int parts) {
		final int used = Math.min(n, parts);
		final int[] sizes = new int[used];
		for (int k = 0; k < used; k++)
			sizes[k] = n / used + (k < n % used ? 1 : 0);
		return sizes;
	}

	@Override
	public double step(final TrainingBatch batch) {
		final double value = gradients(batch);
		if (Double.isFinite(value)) adam.update(trainable);
		return value;
	}

	/**
	 * The loss of {@code batch}; when it is finite, the full-batch gradient is left on the master
	 * parameters (the other devices' gradients zeroed), else every gradient is discarded.
	 */
	double gradients(final TrainingBatch batch) {
		final int[] sizes = split(batch.size(), devices.size());
		broadcast(sizes.length);
		final List<NDManager> subs = new ArrayList<>();
		try {
			final NDArray[] totals = new NDArray[sizes.length];
			for (int k = 0, from = 0; k < sizes.length; from += sizes[k], k++) {
				final NDManager sub = managers.get(k).newSubManager();
				subs.add(sub);
				try (GradientCollector gc = TorchEngine.get().newGradientCollector()) {
					totals[k] = objective.evaluate(stores.get(k), batch, from, sizes[k], sizes[k] / (double) batch.size(), k == 0, sub);
					gc.backward(totals[k]);
				}
			}
			double value = 0;
			for (final NDArray t : totals)
				value += Scalars.value(t);
			if (!Double.isFinite(value)) {
				SingleDeviceStep.discardGradients(trainable);
				for (int k = 1; k < sizes.length; k++)
					for (final Parameter p : trainable)
						JniUtils.zeroGrad((PtNDArray) copy(k, p));
				return value;
			}
			reduce(sizes, batch.size());
			return value;
		}
		finally {
			for (final NDManager sub : subs)
				sub.close();
		}
	}

	/** The copy of {@code p} on device {@code k} (the master array for k = 0). */
	private NDArray copy(final int k, final Parameter p) {
		return stores.get(k).getValue(p, devices.get(k), true);
	}

	/** Copies the master weights and moving statistics to the devices 1 … {@code used − 1}. */
	private void broadcast(final int used) {
		final boolean recording = TorchEngine.setGradientRecording(false);
		try (NDScope scope = new NDScope()) {
			scope.suppressNotUsedWarning();
			for (int k = 1; k < used; k++)
				for (final Parameter p : all) {
					final NDArray replica = copy(k, p);
					final NDArray master = p.getArray();
					// NB: in place, so that the copy keeps its identity and gradient slot.
					replica.subi(replica).addi(master.toDevice(devices.get(k), false));
				}
		}
		finally {
			TorchEngine.setGradientRecording(recording);
		}
	}

	/**
	 * Sums the gradients of devices 1 … onto the master's (and zeroes theirs), and replaces the
	 * master's moving statistics by the part-size-weighted mean of all devices' statistics.
	 */
	private void reduce(final int[] sizes, final int n) {
		final boolean recording = TorchEngine.setGradientRecording(false);
		try (NDScope scope = new NDScope()) {
			scope.suppressNotUsedWarning();
			final Device home = devices.get(0);
			for (final Parameter p : trainable) {
				final NDArray g = p.getArray().getGradient();
				for (int k = 1; k < sizes.length; k++) {
					final NDArray replica = copy(k, p);
					g.addi(replica.getGradient().toDevice(home, false));
					JniUtils.zeroGrad((PtNDArray) replica);
				}
			}
			for (final Parameter p : statistics) {
				final NDArray master = p.getArray();
				NDArray mean = Scalars.mul(master, sizes[0] / (double) n);
				for (int k = 1; k < sizes.length; k++)
					mean = mean.add(Scalars.mul(copy(k, p).toDevice(home, false), sizes[k] / (double) n));
				master.subi(master).addi(mean);
			}
		}
		finally {
			TorchEngine.setGradientRecording(recording);
		}
	}

	@Override
	public List<Device> devices() {
		return devices;
	}

	@Override
	public void close() {
		for (int k = 1; k < managers.size(); k++)
			managers.get(k).close();
	}
}
