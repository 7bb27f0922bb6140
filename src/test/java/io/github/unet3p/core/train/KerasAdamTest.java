package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.InvalidInputException;

class KerasAdamTest {

	/** Minimises sum((w - target)^2) for a few steps with the optimizer under test. */
	private static void steps(final NDManager m, final Parameter p, final KerasAdam adam, final int n) {
		for (int i = 0; i < n; i++) {
			try (NDManager batch = m.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
				final NDArray target = batch.create(new float[] { 1, -2 });
				gc.backward(target.sub(p.getArray()).square().sum()); // first operand in the batch manager
			}
			adam.update(List.of(p));
		}
	}

	private static Parameter parameter(final NDManager m, final float... values) {
		final Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.BIAS).optShape(new Shape(values.length)).build();
		p.initialize(m, DataType.FLOAT32);
		p.getArray().set(values);
		p.getArray().setRequiresGradient(true);
		return p;
	}

	@Test
	void firstStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
		try (NDManager m = TorchEngine.get().newBaseManager(); KerasAdam adam = new KerasAdam(0.1, 0, m)) {
			final Parameter p = parameter(m, 0, 0);
			steps(m, p, adam, 1);
			// Step 1: m = 0.1 g, v = 0.001 g², correction = sqrt(0.001)/0.1 → Δ = lr · g/|g| (ε negligible).
			assertArrayEquals(new float[] { 0.1f, -0.1f }, p.getArray().toFloatArray(), 1e-5f);
		}
	}

	@Test
	void updatesOnAThreadOtherThanTheEnginesOwn() throws Exception {
		TorchEngine.get();
		final float[][] result = new float[1][];
		final Throwable[] failure = new Throwable[1];
		// PyTorch's grad mode is on by default in a new thread (DJL turns it off only where the engine
		// started); an in-place update of a leaf that requires grad must still work there.
		final Thread t = new Thread(() -> {
			try (NDManager m = TorchEngine.get().newBaseManager(); KerasAdam adam = new KerasAdam(0.1, 0, m)) {
				final Parameter p = parameter(m, 0, 0);
				steps(m, p, adam, 1);
				result[0] = p.getArray().toFloatArray();
			}
			catch (final Throwable e) {
				failure[0] = e;
			}
		});
		t.start();
		t.join();
		if (failure[0] != null) throw new AssertionError("update failed on a new thread", failure[0]);
		assertArrayEquals(new float[] { 0.1f, -0.1f }, result[0], 1e-5f);
	}

	@Test
	void secondStepMatchesHandComputedKerasUpdate() {
		try (NDManager m = TorchEngine.get().newBaseManager(); KerasAdam adam = new KerasAdam(0.1, 0, m)) {
			final Parameter p = parameter(m, 0, 0);
			steps(m, p, adam, 2);
			// w0 = 0: g1 = 2(0-1) = -2; w1 = 0.1. g2 = 2(0.1-1) = -1.8.
			final double m2 = 0.9 * (0.1 * -2) + 0.1 * -1.8, v2 = 0.999 * (0.001 * 4) + 0.001 * 3.24;
			final double w2 = 0.1 - 0.1 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81) * m2 / (Math.sqrt(v2) + 1e-7);
			assertEquals(w2, p.getArray().toFloatArray()[0], 1e-5);
		}
	}

	@Test
	void savedStateResumesBitForBit() throws Exception {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final Parameter straight = parameter(m, 0.3f, 0.7f);
			final float[] expected;
			try (KerasAdam adam = new KerasAdam(0.05, 0, m)) {
				steps(m, straight, adam, 6);
				expected = straight.getArray().toFloatArray();
			}
			final Parameter resumed = parameter(m, 0.3f, 0.7f);
			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (KerasAdam first = new KerasAdam(0.05, 0, m)) {
				steps(m, resumed, first, 3);
				first.save(new DataOutputStream(bytes), List.of(resumed));
			}
			try (KerasAdam second = new KerasAdam(0.05, 0, m)) {
				second.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), List.of(resumed), "test");
				assertEquals(3, second.steps());
				steps(m, resumed, second, 3);
			}
			assertArrayEquals(expected, resumed.getArray().toFloatArray(), 0f);
		}
	}

	@Test
	void clippingBoundsTheStepAndNoTemporariesLeak() {
		try (NDManager m = TorchEngine.get().newBaseManager(); KerasAdam adam = new KerasAdam(0.1, 0.5, m)) {
			final Parameter p = parameter(m, 0, 0);
			steps(m, p, adam, 1);
			final int arrays = m.getManagedArrays().size();
			steps(m, p, adam, 5);
			assertEquals(arrays, m.getManagedArrays().size(), "an update must not leave arrays behind");
		}
	}

	@Test
	void rejectsBadLearningRate() {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			assertThrows(InvalidInputException.class, () -> new KerasAdam(0, 0, m));
			assertThrows(InvalidInputException.class, () -> new KerasAdam(Double.NaN, 0, m));
		}
	}
}
