package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.github.unet3p.core.model.TorchEngine;

/**
 * A training step works on any thread, not only on the one that started the engine: in Fiji each
 * command runs on a new thread, and PyTorch's gradient mode is per thread.
 */
class KerasAdamThreadTest {

	@Test
	void anUpdateOnAFreshThreadSucceeds() throws InterruptedException {
		TorchEngine.get(); // started here, on the test thread
		final AtomicReference<Throwable> failure = new AtomicReference<>();
		final AtomicReference<float[]> weights = new AtomicReference<>();
		final Thread other = new Thread(() -> {
			try (NDManager m = TorchEngine.get().newBaseManager(); KerasAdam adam = new KerasAdam(0.1, 0, m)) {
				final Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.BIAS).optShape(new Shape(2)).build();
				p.initialize(m, DataType.FLOAT32);
				p.getArray().set(new float[] { 0, 0 });
				p.getArray().setRequiresGradient(true);
				try (NDManager batch = m.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
					final NDArray target = batch.create(new float[] { 1, -2 });
					gc.backward(target.sub(p.getArray()).square().sum());
				}
				adam.update(List.of(p));
				weights.set(p.getArray().toFloatArray());
			}
			catch (final Throwable t) {
				failure.set(t);
			}
		}, "not-the-engine-thread");
		other.start();
		other.join();
		assertNull(failure.get(), () -> "update on a second thread: " + failure.get());
		assertArrayEquals(new float[] { 0.1f, -0.1f }, weights.get(), 1e-5f);
	}
}
