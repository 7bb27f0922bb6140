package io.github.unet3p.core.train;

import io.github.unet3p.core.model.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * Adam exactly as Keras (TF 2) applies it, with a state that can be saved and restored so that a
 * resumed run continues bit for bit:
 * {@code m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * w ← w − lr·√(1−β2^t)/(1−β1^t) · m/(√v + ε)}, ε = 1e-7 (Keras' default).
 *
 * <p>NB: DJL's own Adam keeps its moments private and cannot be checkpointed, which would make
 * {@code resume=true} drift from an uninterrupted run; hence this small class.
 */
public final class KerasAdam implements AutoCloseable {

	private static final int STATE_MAGIC = 0x55334144; // "U3AD"

	private final double learningRate;
	private final double beta1;
	private final double beta2;
	private final double epsilon;
	private final double clipNorm;
	private final NDManager manager;
	private final Map<String, NDArray[]> moments = new HashMap<>();
	private long step;

	/**
	 * Creates the optimizer.
	 *
	 * @param learningRate step size, positive
	 * @param clipNorm clip the global gradient norm to this value; 0 = no clipping
	 * @param manager owns the moment arrays; the caller closes it (or this optimizer)
	 */
	public KerasAdam(final double learningRate, final double clipNorm, final NDManager manager) {
		this(learningRate, 0.9, 0.999, 1e-7, clipNorm, manager);
	}

	/** Creates the optimizer with explicit betas and epsilon. */
	public KerasAdam(final double learningRate, final double beta1, final double beta2, final double epsilon, final double clipNorm,
			final NDManager manager) {
		if (!(learningRate > 0) || !Double.isFinite(learningRate))
			throw new InvalidInputException("learning_rate must be a positive number, not " + learningRate);
		if (clipNorm < 0 || !Double.isFinite(clipNorm)) throw new InvalidInputException("clip_norm must be 0 (off) or positive, not " + clipNorm);
		this.learningRate = learningRate;
		this.beta1 = beta1;
		this.beta2 = beta2;
		this.epsilon = epsilon;
		this.clipNorm = clipNorm;
		this.manager = manager.newSubManager();
	}

	/** Number of updates applied so far. */
	public long steps() {
		return step;
	}

	/**
	 * Applies one update to every parameter that has a gradient, then zeroes the gradients.
	 *
	 * <p>NB: each parameter is updated by one call into PyTorch's native code (DJL's fused Adam
	 * kernel: the moments updated in place, then {@code w ← w − (m·lr_t)/(√v + ε)} with
	 * {@code lr_t = lr·√(1−β2^t)/(1−β1^t)}), not by a dozen array operations each crossing JNI
	 * and allocating a temporary. The arithmetic is Keras' formula above in float32 in a fixed
	 * order, so it is deterministic: a resumed run still repeats an uninterrupted one bit for bit.
	 *
	 * @return the global gradient norm before clipping, or NaN when clipping is off (then it is
	 *         not computed: it costs a pass over every gradient)
	 */
	public double update(final List<Parameter> parameters) {
		step++;
		// NB: StrictMath.pow is bit-identical on every JIT tier and machine (Math.pow need not be),
		// so a resumed run repeats an uninterrupted one bit for bit.
		final double correction = Math.sqrt(1 - StrictMath.pow(beta2, step)) / (1 - StrictMath.pow(beta1, step));
		// NB: the in-place updates below must not be recorded; on a thread other than the engine's
		// first, PyTorch records by default (see TorchEngine.setGradientRecording).
		final boolean recording = TorchEngine.setGradientRecording(false);
		try (NDScope scope = new NDScope()) {
			scope.suppressNotUsedWarning();
			final double norm = clipNorm > 0 ? globalNorm(parameters) : Double.NaN;
			final float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
			final float stepSize = (float) (learningRate * correction);
			for (final Parameter p : parameters) {
				if (!p.requiresGradient()) continue;
				final NDArray w = p.getArray();
				final NDArray[] mv = moments.computeIfAbsent(p.getId(), id -> newMoments(w.getShape()));
				// Arguments: learning rate (AdamW only), bias-corrected step, weight decay 0, gradient
				// scale, no element clipping (negative), β1, β2, ε, plain Adam. Zeroes w's gradient
				// after the update (PyTorch accumulates gradients across backward passes).
				w.getNDArrayInternal().adamUpdate(new NDList(w, w.getGradient(), mv[0], mv[1]), new NDList(w), stepSize, stepSize, 0f, scale, -1f,
						(float) beta1, (float) beta2, (float) epsilon, false, false);
			}
			return norm;
		}
		finally {
			TorchEngine.setGradientRecording(recording);
		}
	}

	/** The L2 norm of all gradients together, with one transfer to Java. */
	private static double globalNorm(final List<Parameter> parameters) {
		NDArray sum = null;
		for (final Parameter p : parameters)
			if (p.requiresGradient()) {
				final NDArray g = p.getArray().getGradient();
				final NDArray s = g.mul(g).sum();
				sum = sum == null ? s : sum.add(s);
			}
		return sum == null ? 0 : Math.sqrt(Scalars.value(sum));
	}

	private NDArray[] newMoments(final Shape shape) {
		final NDArray m = manager.zeros(shape);
		final NDArray v = manager.zeros(shape);
		NDScope.unregister(m, v);
		return new NDArray[] { m, v };
	}

	/** Writes the step count and every moment, keyed by parameter name in {@code parameters}' order. */
	public void save(final DataOutputStream out, final List<Parameter> parameters) throws IOException {
		out.writeInt(STATE_MAGIC);
		out.writeLong(step);
		out.writeInt(parameters.size());
		for (final Parameter p : parameters) {
			out.writeUTF(p.getName() == null ? "" : p.getName());
			final NDArray[] mv = moments.get(p.getId());
			out.writeBoolean(mv != null);
			if (mv == null) continue;
			for (final NDArray a : mv) {
				final float[] values = a.toFloatArray();
				out.writeInt(values.length);
				for (final float f : values)
					out.writeFloat(f);
			}
		}
	}

	/** Restores what {@link #save} wrote for the same architecture. */
	public void load(final DataInputStream in, final List<Parameter> parameters, final String source) throws IOException {
		if (in.readInt() != STATE_MAGIC) throw new InvalidInputException("Optimizer state " + source + " is not a UNet3+ Adam state.");
		final long savedStep = in.readLong();
		final int n = in.readInt();
		if (n != parameters.size())
			throw new InvalidInputException("Optimizer state " + source + " has " + n + " parameters; the model has " + parameters.size() + ".");
		close();
		for (final Parameter p : parameters) {
			in.readUTF();
			if (!in.readBoolean()) continue;
			final NDArray[] mv = newMoments(p.getArray().getShape());
			for (final NDArray a : mv) {
				final int len = in.readInt();
				if (len != a.size()) throw new InvalidInputException("Optimizer state " + source + " does not match parameter " + p.getName() + ".");
				final float[] values = new float[len];
				for (int i = 0; i < len; i++)
					values[i] = in.readFloat();
				a.set(values);
			}
			moments.put(p.getId(), mv);
		}
		step = savedStep;
	}

	/** Frees the moments (the optimizer can go on; moments restart at zero). */
	@Override
	public void close() {
		for (final NDArray[] mv : moments.values())
			for (final NDArray a : mv)
				a.close();
		moments.clear();
	}
}
