package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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
import io.github.unet3p.core.volume.png.PngCodec;
import io.github.unet3p.core.volume.SliceImage;

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

	private static void dataset(final Path folder, final int count) throws IOException {
		Files.createDirectories(folder.resolve("images"));
		Files.createDirectories(folder.resolve("mask"));
		for (int s = 0; s < count; s++) {
			final byte[] rgb = new byte[32 * 32 * 3], mask = new byte[32 * 32];
			for (int p = 0; p < 32 * 32; p++) {
				final boolean in = p % 32 > 8 && p % 32 < 24 && p / 32 > 8 + s && p / 32 < 24;
				mask[p] = (byte) (in ? 1 : 0);
				for (int c = 0; c < 3; c++)
					rgb[3 * p + c] = (byte) (in ? 180 : 20 + (p * 7 + c + s) % 40);
			}
			PngCodec.write(folder.resolve("images/image_0_" + s + ".png"), new SliceImage(32, 32, 3, rgb));
			PngCodec.write(folder.resolve("mask/mask_0_" + s + ".png"), SliceImage.gray(32, 32, mask));
		}
	}

	@Test
	void epochsDoNotAccumulateNativeArrays() throws Exception {
		final Path data = tmp.resolve("data");
		dataset(data, 4);
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
