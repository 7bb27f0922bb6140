package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.testsupport.TinySlices;

/**
 * A long training session does not accumulate native arrays: after the first epoch (which creates
 * the optimizer's moments) every epoch ends with as many live arrays as the one before, and a
 * finished run leaves none behind. Counted over every manager under DJL's system manager, so an
 * array attached anywhere (the trainer's root, a forgotten base manager) is seen.
 */
class NativeMemoryLeakTest {

	@TempDir
	Path tmp;

	private static NDManager system() {
		try (NDManager probe = TorchEngine.get().newBaseManager()) {
			return probe.getParentManager();
		}
	}

	@Test
	void epochsDoNotAccumulateNativeArrays() throws Exception {
		final Path data = tmp.resolve("data");
		TinySlices.squares(data, 4, 32);
		final TrainSettings settings = TrainSettings.builder().setTrain(data).setValidation(data).setModel(tmp.resolve("model"))
				.optArchitecture(ModelSpec.builder().optBackbone("unet3plus").optFilters(1)).optEpochs(5).optBatch(2).optSeed(5).optPatience(100).build();
		final NDManager system = system();
		final int before = system.getManagedArrays().size();
		final List<Integer> live = new ArrayList<>();
		new Trainer(settings, ProgressListener.NONE, Cancellation.none(), (row, best) -> live.add(system.getManagedArrays().size())).run();
		assertEquals(5, live.size());
		assertTrue(live.get(0) > before + 100, "the count sees the trainer's arrays (weights, moments): " + before + " → " + live);
		for (int e = 2; e < live.size(); e++)
			assertEquals(live.get(1), live.get(e), "live native arrays at the end of each epoch after the first: " + live);
		assertEquals(before, system.getManagedArrays().size(), "arrays left behind by a finished training run");
	}
}
