package io.github.unet3p.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.unet3p.core.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights round-trip through DJL's encoding, and wrong files are refused without damage. */
class ModelWeightsTest {

	@TempDir
	Path dir;

	private static ModelSpec spec(final int filters) {
		return ModelSpec.builder().optVariant("unet3plus_deepsup").optBackbone("unet3plus").optFilters(filters).optSize(32)
			.build();
	}

	private static UNet3PlusNet net(final NDManager m, final int filters, final long seed) {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec(filters)).build();
		net.initialize(m, seed);
		return net;
	}

	@Test
	void roundTripRestoresEveryParameterAndTheOutputs() throws IOException {
		final Path file = dir.resolve("weights.params");
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet a = net(m, 4, 1);
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 32, 32));
			// One training forward changes the BN moving statistics, which must be saved too.
			a.forward(ps, x, true);
			ModelWeights.save(a.block(), file);
			try (Stream<Path> files = Files.list(dir)) {
				assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
			}

			final UNet3PlusNet b = net(m, 4, 2);
			ModelWeights.load(b, file);
			final List<Parameter> pa = a.block().getParameters().values();
			final List<Parameter> pb = b.block().getParameters().values();
			for (int i = 0; i < pa.size(); i++)
				assertArrayEquals(pa.get(i).getArray().toFloatArray(), pb.get(i).getArray().toFloatArray(), 0f, pa.get(i).getName());
			assertArrayEquals(a.forward(ps, x, false).get(0).toFloatArray(), b.forward(ps, x, false).get(0).toFloatArray(), 0f);

			// The loaded network still trains: gradients reach its parameters.
			try (NDManager batch = m.newSubManager(); GradientCollector gc = TorchEngine.get().newGradientCollector()) {
				final NDList out = b.forward(ps, x.duplicate(), true);
				gc.backward(out.get(0).get(new ai.djl.ndarray.index.NDIndex(":, 0")).sum().add(b.l2Penalty(batch, true)));
				final float[] g = b.l2Parameters().get(0).getArray().getGradient().toFloatArray();
				assertTrue(Arrays.stream(toDouble(g)).anyMatch(v -> v != 0));
			}
		}
	}

	private static double[] toDouble(final float[] f) {
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}

	@Test
	void weightsOfAnotherWidthAreRefusedNamingTheParameterAndShapes() throws IOException {
		final Path file = dir.resolve("wide.params");
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			ModelWeights.save(net(m, 8, 1).block(), file);
			final UNet3PlusNet small = net(m, 4, 3);
			final float[] before = small.block().getParameters().valueAt(0).getArray().toFloatArray();
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelWeights.load(small, file));
			assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
			assertTrue(e.getMessage().contains("encoder") && e.getMessage().contains("weight"), e.getMessage());
			assertTrue(e.getMessage().contains("(8, 3, 3, 3)") && e.getMessage().contains("(4, 3, 3, 3)"), e.getMessage());
			assertArrayEquals(before, small.block().getParameters().valueAt(0).getArray().toFloatArray(), 0f,
				"a refused file leaves the weights unchanged");
		}
	}

	@Test
	void weightsOfAnotherVariantAreRefused() throws IOException {
		final Path file = dir.resolve("base.params");
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet base = UNet3Plus.builder()
				.setSpec(ModelSpec.builder().optVariant("unet3plus").optBackbone("unet3plus").optFilters(4).optSize(32).build()).build();
			base.initialize(m, 1);
			ModelWeights.save(base.block(), file);
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelWeights.load(net(m, 4, 1), file));
			assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
		}
	}

	@Test
	void filesThatAreNotWeightsAreRefused() throws IOException {
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final UNet3PlusNet n = net(m, 4, 1);
			final Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
			assertTrue(assertThrows(InvalidInputException.class, () -> ModelWeights.load(n, text)).getMessage()
				.contains("not a UNet3+ weights file"));
			final Path good = dir.resolve("good.params");
			ModelWeights.save(n.block(), good);
			final byte[] bytes = Files.readAllBytes(good);
			final Path truncated = Files.write(dir.resolve("truncated.params"), Arrays.copyOf(bytes, bytes.length / 2));
			assertThrows(InvalidInputException.class, () -> ModelWeights.load(n, truncated));
			final Path trailing = Files.write(dir.resolve("trailing.params"), Arrays.copyOf(bytes, bytes.length + 1));
			assertTrue(assertThrows(InvalidInputException.class, () -> ModelWeights.load(n, trailing)).getMessage()
				.contains("trailing"));
			assertTrue(assertThrows(InvalidInputException.class, () -> ModelWeights.load(n, dir.resolve("missing.params")))
				.getMessage().contains("not found"));
		}
	}
}
