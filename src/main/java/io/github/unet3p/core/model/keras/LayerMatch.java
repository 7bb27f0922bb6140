package io.github.unet3p.core.model.keras;

import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.util.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file's layers sorted for matching: the automatically named convolutions and BatchNorms in
 * creation order, and the VGG encoder's layers by name; every other layer with weights is refused
 * as extra, and a VGG layer that the chosen backbone lacks (or the lack of one it needs) as well.
 *
 * <p>NB: Keras 3's {@code .weights.h5} does not store the layers' names: it numbers them per class
 * in the order of {@code model.layers} (the recipe's VGG layers become {@code conv2d},
 * {@code conv2d_1}, ...). That order is the creation order except that the recipe's deep-supervision
 * model lists its output convolution after the four heads (measured with Keras 3.15 for all six
 * variant × encoder cases, {@code src/test/fixtures/keras}); for this layout the VGG encoder is the
 * first convolutions and the output comes after the heads.
 */
final class LayerMatch {

	private final Path file;
	private final KerasWeightsFile.Layout layout;
	private final Backbone backbone;
	private final Variant variant;
	private final List<KerasLayer> convs;
	private final List<KerasLayer> batchNorms;
	private final Map<String, KerasLayer> vgg;

	private LayerMatch(final Path file, final KerasWeightsFile.Layout layout, final Backbone backbone, final Variant variant,
		final List<KerasLayer> convs, final List<KerasLayer> batchNorms, final Map<String, KerasLayer> vgg)
	{
		this.file = file;
		this.layout = layout;
		this.backbone = backbone;
		this.variant = variant;
		this.convs = convs;
		this.batchNorms = batchNorms;
		this.vgg = vgg;
	}

	/**
	 * Sorts {@code layers} and checks them against {@code backbone}'s encoder.
	 *
	 * @throws InvalidInputException naming the file and the layer for an extra layer, a VGG layer
	 *         the backbone does not have, or a missing VGG layer
	 */
	static LayerMatch of(final Path file, final KerasWeightsFile.Contents contents, final Backbone backbone, final Variant variant) {
		final List<KerasLayer> layers = contents.layers();
		final List<KerasLayer> convs = new ArrayList<>();
		final List<KerasLayer> bns = new ArrayList<>();
		final Map<String, KerasLayer> vgg = new LinkedHashMap<>();
		for (final KerasLayer l : layers) {
			if (l.isConv()) convs.add(l);
			else if (l.isBatchNorm()) bns.add(l);
			else if (l.isVgg()) vgg.put(l.name(), l);
			else throw new InvalidInputException(file + ": layer " + l.name() + " is extra: the recipe's UNet3+ has no such layer with weights " +
				"(only conv2d_N, batch_normalization_N and, with a VGG encoder, blockB_convC)");
		}
		if (convs.isEmpty()) throw new InvalidInputException(file + ": holds no convolution layer (conv2d_N); is it a weights file of the recipe's UNet3+?");
		List<KerasLayer> sorted = KerasImport.inCreationOrder(convs);
		if (contents.layout() == KerasWeightsFile.Layout.KERAS3 && backbone.isVgg() && vgg.isEmpty()) {
			int i = 0;
			for (int s = 1; s <= 5; s++)
				for (int c = 1; c <= backbone.convsInStage(s) && i < sorted.size(); c++)
					vgg.put("block" + s + "_conv" + c, sorted.get(i++));
			sorted = sorted.subList(i, sorted.size());
			if (sorted.isEmpty()) throw new InvalidInputException(file + ": holds only " + i + " convolution layers; the " + backbone + " encoder alone has more");
		}
		final LayerMatch m = new LayerMatch(file, contents.layout(), backbone, variant, sorted, KerasImport.inCreationOrder(bns), vgg);
		m.checkVgg();
		return m;
	}

	private void checkVgg() {
		if (!backbone.isVgg()) {
			if (!vgg.isEmpty())
				throw new InvalidInputException(file + ": layer " + vgg.keySet().iterator().next() + " is a VGG encoder layer, but backbone=" +
					backbone + " (use backbone=vgg16 or backbone=vgg19)");
			return;
		}
		if (vgg.isEmpty())
			throw new InvalidInputException(file + ": missing layer block1_conv1: the file has no VGG encoder layer, but backbone=" + backbone +
				" (a model with the recipe's own encoder? use backbone=unet3plus)");
		for (final String name : vgg.keySet()) {
			final int stage = name.charAt(5) - '0';
			final int conv = name.charAt(name.length() - 1) - '0';
			if (conv > backbone.convsInStage(stage))
				throw new InvalidInputException(file + ": layer " + name + " is extra: backbone=" + backbone + " has " + backbone.convsInStage(stage) +
					" convolutions in block " + stage + (backbone == Backbone.VGG16 ? " (a VGG19 encoder? use backbone=vgg19)" : ""));
		}
		for (int s = 1; s <= 5; s++)
			for (int c = 1; c <= backbone.convsInStage(s); c++)
				if (!vgg.containsKey("block" + s + "_conv" + c))
					throw new InvalidInputException(file + ": missing layer block" + s + "_conv" + c + " of the " + backbone + " encoder" +
						(backbone == Backbone.VGG19 && c > 3 ? " (a VGG16 encoder? use backbone=vgg16)" : ""));
	}

	/** The layer holding the first encoder convolution (its kernel gives the width). */
	KerasLayer firstEncoderConv() {
		return backbone.isVgg() ? vgg.get("block1_conv1") : convs.get(0);
	}

	/**
	 * For each target in order, its convolution layer and its BatchNorm layer (null without).
	 *
	 * @throws InvalidInputException naming the file and the first extra or missing layer when the
	 *         counts differ from the network's
	 */
	List<KerasLayer[]> pair(final List<TargetConv> targets, final ModelSpec spec) {
		final List<TargetConv> numbered = new ArrayList<>(targets.stream().filter(t -> t.vggName() == null).toList());
		if (layout == KerasWeightsFile.Layout.KERAS3 && variant.hasDeepSupervision()) {
			final TargetConv output = numbered.stream().filter(t -> t.role().equals("output")).findFirst().orElseThrow();
			numbered.remove(output);
			numbered.add(output);
		}
		final List<TargetConv> normed = targets.stream().filter(t -> t.batchNorm() != null).toList();
		checkCount(convs, numbered, "convolutions (conv2d_N)");
		checkCount(batchNorms, normed, "BatchNormalizations (batch_normalization_N)");
		final List<KerasLayer[]> pairs = new ArrayList<>();
		final Map<TargetConv, KerasLayer> byTarget = new java.util.IdentityHashMap<>();
		for (int i = 0; i < numbered.size(); i++)
			byTarget.put(numbered.get(i), convs.get(i));
		int b = 0;
		for (final TargetConv t : targets) {
			final KerasLayer conv = t.vggName() != null ? vgg.get(t.vggName()) : byTarget.get(t);
			pairs.add(new KerasLayer[] { conv, t.batchNorm() != null ? batchNorms.get(b++) : null });
		}
		return pairs;
	}

	private void checkCount(final List<KerasLayer> have, final List<TargetConv> need, final String what) {
		final String model = "variant=" + variant + " with backbone=" + backbone + " has " + need.size() + " " + what + ", the file " + have.size();
		if (have.size() > need.size()) {
			final String hint = variant == Variant.UNET3PLUS && have.size() - need.size() == 4 && what.startsWith("conv")
				? " (a unet3plus_deepsup training checkpoint with its 4 deep-supervision heads? use variant=unet3plus_deepsup)" : "";
			throw new InvalidInputException(file + ": layer " + have.get(need.size()).name() + " is extra: " + model + hint);
		}
		if (have.size() < need.size()) {
			final String hint = variant.hasDeepSupervision() && need.size() - have.size() == 4 && what.startsWith("conv")
				? " (saved without its deep-supervision heads? import it with variant=unet3plus, the same inference model)" : "";
			throw new InvalidInputException(file + ": missing layer for the " + need.get(have.size()).role() + ": " + model + hint);
		}
	}
}
