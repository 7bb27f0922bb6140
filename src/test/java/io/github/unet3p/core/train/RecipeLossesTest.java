package io.github.unet3p.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.unet3p.core.model.TorchEngine;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plugin's losses against the reference recipe's own {@code losses/loss.py} and
 * {@code losses/unet_loss.py}, run by TensorFlow on the same tensors
 * ({@code recipe-losses.json}, written by {@code src/test/fixtures/recipe-losses/make_recipe_losses.sh}).
 * The third case, an empty single-channel mask under a faint prediction, is where the IoU smoothing
 * decides the value: 1e-9 gives a loss of 1, the {@code unet3p_lits} branch's 1 would give 0.615.
 *
 * <p>NB: focal and IoU are compared to 2e-6 everywhere. SSIM (and so the hybrid sum) is compared to
 * the case's {@code tolerance}: 2e-6, or 1e-3 where a channel of the truth is constant, because
 * TensorFlow's SSIM of a constant channel is float32 cancellation in {@code E[x²+y²] − (μx²+μy²)}
 * (the fixture folder's {@code ssim_conditioning.py} reproduces it: 1 ± ~1e-3 in float32 by the
 * order of the sums, exactly 1 in float64).
 */
class RecipeLossesTest {

	private static final double TIGHT = 2e-6;

	static Stream<Arguments> cases() throws IOException {
		final List<Arguments> cases = new ArrayList<>();
		try (Reader in = new InputStreamReader(RecipeLossesTest.class.getResourceAsStream("recipe-losses.json"), StandardCharsets.UTF_8)) {
			final JsonObject root = JsonParser.parseReader(in).getAsJsonObject();
			for (final var element : root.getAsJsonArray("cases")) {
				final JsonObject c = element.getAsJsonObject();
				final JsonObject losses = c.getAsJsonObject("losses");
				for (final String[] pair : new String[][] { { "focal_loss", "focal" }, { "ssim_loss", "ssim" }, { "iou_loss", "iou" },
					{ "unet3p_hybrid_loss", "hybrid" } })
					cases.add(Arguments.of(c.get("name").getAsString(), pair[1], c, losses.get(pair[0]).getAsDouble()));
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("cases")
	void equalsTheRecipesOwnLoss(final String name, final String loss, final JsonObject c, final double recipe) {
		final Supplier<SegmentationLoss> plugin = switch (loss) {
			case "focal" -> FocalLoss::new;
			case "ssim" -> SsimLoss::new;
			case "iou" -> IouLoss::new;
			default -> HybridLoss::new;
		};
		final JsonArray dims = c.getAsJsonArray("shape_nchw");
		final Shape shape = new Shape(dims.get(0).getAsLong(), dims.get(1).getAsLong(), dims.get(2).getAsLong(), dims.get(3).getAsLong());
		try (NDManager m = TorchEngine.get().newBaseManager()) {
			final NDArray truth = m.create(floats(c.getAsJsonArray("truth")), shape);
			final NDArray prediction = m.create(floats(c.getAsJsonArray("prediction")), shape);
			final double tolerance = loss.equals("ssim") || loss.equals("hybrid") ? c.get("tolerance").getAsDouble() : TIGHT;
			assertEquals(recipe, plugin.get().compute(truth, prediction).getFloat(), tolerance, name + ", " + loss);
		}
	}

	private static float[] floats(final JsonArray values) {
		final float[] out = new float[values.size()];
		for (int i = 0; i < out.length; i++) out[i] = values.get(i).getAsFloat();
		return out;
	}
}
