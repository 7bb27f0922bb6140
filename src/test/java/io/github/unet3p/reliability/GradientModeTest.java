package io.github.unet3p.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

/**
 * PyTorch's gradient mode is per thread, and only the thread that started the engine has it off.
 * In Fiji every command runs on a new thread: these tests pin down what that means for inference.
 */
class GradientModeTest {

	/** Runs {@code body} on a new thread (after the engine was started on this one) and rethrows its failure. */
	private static void onAnotherThread(final Runnable body) throws InterruptedException {
		TorchEngine.get();
		final AtomicReference<Throwable> failure = new AtomicReference<>();
		final Thread t = new Thread(() -> {
			try {
				body.run();
			}
			catch (final Throwable e) {
				failure.set(e);
			}
		});
		t.start();
		t.join();
		assertNull(failure.get(), () -> "on another thread: " + failure.get());
	}

	@Test
	void inferenceWithRecordingOffBuildsNoGraphOnAnyThread() throws InterruptedException {
		final AtomicBoolean recorded = new AtomicBoolean(true);
		onAnotherThread(() -> {
			final ModelSpec spec = ModelSpec.builder().optBackbone("unet3plus").optFilters(1).optSize(32).build();
			try (NDManager m = TorchEngine.get().newBaseManager()) {
				final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
				net.initialize(m, 1);
				final boolean previous = TorchEngine.setGradientRecording(false);
				try {
					final NDArray x = m.ones(new Shape(1, 3, 32, 32));
					final NDList out = net.forward(new ParameterStore(m, false), x, false, false);
					recorded.set(out.head().hasGradient());
				}
				finally {
					TorchEngine.setGradientRecording(previous);
				}
			}
		});
		assertFalse(recorded.get(), "an inference output that requires a gradient means PyTorch kept a graph");
	}
}
