package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class TorchEngineTest {

	@Test
	void startsOfflineFromTheClassPathAndComputes() {
		assertEquals(TorchEngine.NAME, TorchEngine.get().getEngineName());
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray a = m.create(new float[] { 1, 2, 3, 4 }, new ai.djl.ndarray.types.Shape(2, 2));
			assertArrayEquals(new float[] { 7, 10, 15, 22 }, a.matMul(a).toFloatArray());
		}
	}
}
