package io.github.unet3p.core.model.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keras' layer names: kinds, and creation order by number (not by the string order h5py lists). */
class KerasLayerTest {

	private static KerasLayer layer(final String name) {
		return new KerasLayer(name, Map.of());
	}

	@Test
	void layersAreOrderedByTheirNumbersNotTheirNames() {
		final List<KerasLayer> asH5pyLists = List.of(layer("conv2d_10"), layer("conv2d_119"), layer("conv2d_2"), layer("conv2d"), layer("conv2d_9"));
		final List<String> order = KerasImport.inCreationOrder(asH5pyLists).stream().map(KerasLayer::name).toList();
		assertEquals(List.of("conv2d", "conv2d_2", "conv2d_9", "conv2d_10", "conv2d_119"), order);
	}

	@Test
	void kindsAreToldByName() {
		assertTrue(layer("conv2d_7").isConv());
		assertTrue(layer("batch_normalization").isBatchNorm());
		assertTrue(layer("block5_conv4").isVgg());
		assertFalse(layer("conv2d_transpose").isConv());
		assertFalse(layer("dense").isConv() || layer("dense").isBatchNorm() || layer("dense").isVgg());
		assertFalse(layer("conv2d_99999999999").isConv(), "a number Keras cannot have is no automatic name");
	}
}
