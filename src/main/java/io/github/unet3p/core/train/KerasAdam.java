package io.github.unet3p.core.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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
	 * @return the global gradient norm before clipping
	 */
	public double update(final List<Parameter> parameters) {
		step++;
		final double correction = Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
		try (NDScope scope = new NDScope()) {
			scope.suppressNotUsedWarning();
			double sumSquares = 0;
			for (final Parameter p : parameters)
				if (p.requiresGradient()) sumSquares += p.getArray().getGradient().square().sum().getFloat();
			final double norm = Math.sqrt(sumSquares);
			final double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
			for (final Parameter p : parameters) {
				if (!p.requiresGradient()) continue;
				final NDArray w = p.getArray();
				NDArray g = w.getGradient();
				if (scale != 1) g = g.mul(scale);
				final NDArray[] mv = moments.computeIfAbsent(p.getId(), id -> newMoments(w.getShape()));
				mv[0].muli(beta1).addi(g.mul(1 - beta1));
				mv[1].muli(beta2).addi(g.square().muli(1 - beta2));
				// NB: through a detached view (same storage): PyTorch refuses an in-place change of a leaf
				// that requires grad while grad mode is on, and grad mode is on in every thread except
				// the one that started the engine (DJL turns it off there only).
				w.stopGradient().subi(mv[0].div(mv[1].sqrt().addi(epsilon)).muli(learningRate * correction));
			}
			// PyTorch accumulates gradients across backward passes: start the next step from zero.
			for (final Parameter p : parameters)
				if (p.requiresGradient()) p.getArray().getGradient().muli(0);
			return norm;
		}
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
