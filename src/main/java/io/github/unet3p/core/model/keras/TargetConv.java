package io.github.unet3p.core.model.keras;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.UNet3PlusNet;
import java.util.ArrayList;
import java.util.List;

/**
 * One convolution of the plugin's network as an import target: its role, the Keras layer name it
 * has when the encoder is a VGG ({@code blockB_convC}, else null), its kernel and bias, and its
 * BatchNorm's gamma, beta, moving mean and moving variance (null without BatchNorm).
 *
 * @param role what the convolution is, for messages ({@code encoder stage 2 conv 1},
 *          {@code decoder d3 branch e2_d3}, {@code output}, {@code deep-supervision head d2}, ...)
 * @param vggName the Keras VGG layer name, or null for an automatically named {@code conv2d_N}
 * @param kernel the kernel (out, in, kh, kw)
 * @param bias the bias (out)
 * @param batchNorm gamma, beta, moving mean, moving variance; null without BatchNorm
 */
record TargetConv(String role, String vggName, Parameter kernel, Parameter bias, Parameter[] batchNorm) {

	/**
	 * The network's convolutions in its parameter order, which is the recipe's creation order:
	 * encoder, decoder d4, d3, d2, d1 (branches from level 1 to 5, then the fusion), output,
	 * deep-supervision heads d2, d3, d4, e5.
	 *
	 * @throws IllegalStateException if the network's parameters do not have the expected structure
	 */
	static List<TargetConv> of(final UNet3PlusNet net) {
		final List<String[]> roles = roles(net.spec());
		final List<List<Parameter>> groups = new ArrayList<>();
		for (final Pair<String, Parameter> p : net.block().getParameters()) {
			if (p.getValue().getType() == Parameter.Type.WEIGHT) groups.add(new ArrayList<>());
			if (groups.isEmpty()) throw new IllegalStateException("parameter " + p.getKey() + " before the first kernel");
			groups.get(groups.size() - 1).add(p.getValue());
		}
		if (groups.size() != roles.size())
			throw new IllegalStateException("the network (" + net.spec() + ") has " + groups.size() + " convolutions, expected " + roles.size());
		final List<TargetConv> out = new ArrayList<>();
		for (int i = 0; i < groups.size(); i++) {
			final List<Parameter> g = groups.get(i);
			if (g.size() != 2 && g.size() != 6 || g.get(1).getType() != Parameter.Type.BIAS)
				throw new IllegalStateException("convolution " + roles.get(i)[0] + " has parameters " + g);
			final Parameter[] bn = g.size() == 6 ? g.subList(2, 6).toArray(new Parameter[0]) : null;
			out.add(new TargetConv(roles.get(i)[0], roles.get(i)[1], g.get(0), g.get(1), bn));
		}
		return out;
	}

	private static List<String[]> roles(final ModelSpec spec) {
		final List<String[]> roles = new ArrayList<>();
		final Backbone b = spec.backbone();
		for (int s = 1; s <= 5; s++)
			for (int c = 1; c <= b.convsInStage(s); c++)
				roles.add(new String[] { "encoder stage " + s + " conv " + c, b.isVgg() ? "block" + s + "_conv" + c : null });
		for (int level = 4; level >= 1; level--) {
			for (int j = 1; j <= 5; j++)
				roles.add(new String[] { "decoder d" + level + " branch " + (j <= level || j == 5 ? "e" : "d") + j + "_d" + level, null });
			roles.add(new String[] { "decoder d" + level + " fusion", null });
		}
		roles.add(new String[] { "output", null });
		if (spec.variant().hasDeepSupervision())
			for (final String h : new String[] { "d2", "d3", "d4", "e5" })
				roles.add(new String[] { "deep-supervision head " + h, null });
		return roles;
	}

	/** Whether this is the output convolution or a deep-supervision head (its width is {@code classes}). */
	boolean isClassifier() {
		return role.equals("output") || role.startsWith("deep-supervision");
	}
}
