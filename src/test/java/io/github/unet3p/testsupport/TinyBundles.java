package io.github.unet3p.testsupport;

import java.io.IOException;
import java.nio.file.Path;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;

/** Model bundles with freshly initialised (seeded, untrained) tiny networks, for tests. */
public final class TinyBundles {

	private TinyBundles() {}

	/** A {@code unet3plus}/{@code unet3plus} bundle of width {@code filters} and input {@code size}, 2 classes, the seed's HU window. */
	public static Path write(final Path folder, final int filters, final int size, final long seed) throws IOException {
		return write(folder, ModelSpec.builder().optBackbone("unet3plus").optFilters(filters).optSize(size).optClasses(2).build(), -200, 250, seed);
	}

	/** A bundle of {@code spec} with the HU window [{@code huMin}, {@code huMax}], weights drawn from {@code seed}. */
	public static Path write(final Path folder, final ModelSpec spec, final double huMin, final double huMax, final long seed) throws IOException {
		final JsonObject training = new JsonObject();
		training.addProperty("note", "untrained test network, seed " + seed);
		new ModelBundle(spec, new PreparationSpec(huMin, huMax, spec.size()), training).writeSpec(folder);
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			net.initialize(m, seed);
			ModelWeights.save(net.block(), folder.resolve(ModelBundle.WEIGHTS_FILE));
		}
		return folder;
	}
}
