package io.github.unet3p.core.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import io.github.unet3p.core.model.Backbone;
import io.github.unet3p.core.model.EngineArrays;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.model.UNet3Plus;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.model.Variant;
import io.github.unet3p.core.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a weights file of the reference recipe's Keras UNet 3+ into a model bundle: reads it
 * ({@link KerasWeightsFile}), matches its layers to the plugin's network of the chosen variant,
 * backbone and classes, checks every shape and value, and writes the bundle ({@link BundleFolder}).
 *
 * <p>Matching: Keras names the layers it creates {@code conv2d}, {@code conv2d_1}, ... and
 * {@code batch_normalization}, {@code batch_normalization_1}, ... per class, counting per session;
 * the recipe creates them in the order of the plugin's parameters ({@link TargetConv#of}), so the
 * k-th automatically named convolution (by the order of the numbers) is the plugin's k-th such
 * convolution, and likewise for BatchNorm. A VGG encoder's layers are matched by their names
 * {@code blockB_convC}. The width ({@code filters}) is read from the first encoder convolution.
 *
 * <p>Conventions: Keras kernels (kh, kw, in, out) become DJL's (out, in, kh, kw); both frameworks
 * correlate (no kernel flip). Keras' BatchNormalization (epsilon 1e-3, momentum 0.99) is the
 * plugin's ({@code ConvBlock}), so gamma, beta and the moving statistics are taken as they are.
 */
public final class KerasImport {

	/** The preparation an imported model is given: the recipe's HU window at the chosen size. */
	public static final double HU_MIN = -200;
	/** See {@link #HU_MIN}. */
	public static final double HU_MAX = 250;

	/** What an import wrote: the architecture, the file's layout and how many layers were mapped. */
	public record Result(ModelSpec spec, KerasWeightsFile.Layout layout, int layers, long values) {}

	private final Path file;
	private final Variant variant;
	private final Backbone backbone;
	private final int classes;
	private final int size;

	private KerasImport(final Path file, final Variant variant, final Backbone backbone, final int classes, final int size) {
		this.file = file;
		this.variant = variant;
		this.backbone = backbone;
		this.classes = classes;
		this.size = size;
	}

	/**
	 * Imports {@code input} into a new bundle folder {@code model}. Nothing is written unless every
	 * layer fits; the bundle appears complete or not at all.
	 *
	 * @param overwrite replace {@code model} when it already holds a bundle
	 * @throws InvalidInputException one message naming the file and, where one is to blame, the
	 *         layer: not HDF5, truncated, a missing or extra layer, a shape that does not fit,
	 *         classes that disagree, a non-finite value; or naming {@code model} when it exists
	 * @throws IOException when the bundle cannot be written
	 */
	public static Result run(final Path input, final Path model, final Variant variant, final Backbone backbone, final int classes,
		final int size, final boolean overwrite) throws IOException
	{
		if (variant.hasClassificationGuide())
			throw new InvalidInputException("variant: " + variant + " cannot be imported (the recipe's CGM model does not build under Keras 3 and " +
				"has no checkpoint to test against); use unet3plus or unet3plus_deepsup");
		ModelSpec.builder().optVariant(variant).optBackbone(backbone).optClasses(classes).optSize(size).build();
		BundleFolder.checkTarget(model, overwrite);
		final KerasWeightsFile.Contents contents = KerasWeightsFile.read(input);
		final KerasImport imp = new KerasImport(input, variant, backbone, classes, size);
		try (NDManager manager = TorchEngine.get().newBaseManager()) {
			final LayerMatch match = LayerMatch.of(input, contents, backbone, variant);
			final ModelSpec spec = imp.spec(match);
			final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
			net.initialize(manager, 0);
			final List<TargetConv> targets = TargetConv.of(net);
			final List<KerasLayer[]> pairs = match.pair(targets, spec);
			long values = 0;
			for (int i = 0; i < targets.size(); i++)
				values += imp.copy(targets.get(i), pairs.get(i), manager);
			final ModelBundle bundle = new ModelBundle(spec, new PreparationSpec(HU_MIN, HU_MAX, size), null, imp.record(contents, values));
			BundleFolder.write(net, bundle, model, overwrite);
			return new Result(spec, contents.layout(), contents.layers().size(), values);
		}
	}

	private ModelSpec spec(final LayerMatch match) {
		final KerasLayer first = match.firstEncoderConv();
		final KerasArray k = first.arrays().get("kernel");
		if (k == null || k.shape().length != 4 || k.shape()[0] != 3 || k.shape()[1] != 3 || k.shape()[2] != ModelSpec.CHANNELS)
			throw new InvalidInputException(file + ": layer " + first.name() + ": kernel " + (k == null ? "missing" : k.shapeText()) +
				" is not the first encoder convolution of the recipe's UNet3+ (expected (3, 3, 3, width))");
		final int filters = k.shape()[3];
		try {
			return ModelSpec.builder().optVariant(variant).optBackbone(backbone).optFilters(filters).optClasses(classes).optSize(size).build();
		}
		catch (final InvalidInputException e) {
			throw new InvalidInputException(file + ": layer " + first.name() + ": width " + filters + " read from its kernel: " + e.getMessage());
		}
	}

	/** Checks one layer pair against its target and copies its values in; returns how many. */
	private long copy(final TargetConv t, final KerasLayer[] pair, final NDManager manager) {
		final KerasLayer conv = pair[0];
		final Shape w = t.kernel().getArray().getShape();
		final int out = (int) w.get(0);
		final int in = (int) w.get(1);
		final int kh = (int) w.get(2);
		final int kw = (int) w.get(3);
		final KerasArray kernel = array(conv, t, "kernel", new int[] { kh, kw, in, out });
		final KerasArray bias = array(conv, t, "bias", new int[] { out });
		final float[] djl = new float[kernel.values().length];
		final float[] keras = kernel.values();
		for (int a = 0; a < kh; a++)
			for (int b = 0; b < kw; b++)
				for (int i = 0; i < in; i++)
					for (int o = 0; o < out; o++)
						djl[((o * in + i) * kh + a) * kw + b] = keras[((a * kw + b) * in + i) * out + o];
		set(t.kernel(), djl, manager);
		set(t.bias(), bias.values(), manager);
		long n = djl.length + out;
		if (t.batchNorm() != null) {
			final String[] roles = { "gamma", "beta", "moving_mean", "moving_variance" };
			for (int r = 0; r < roles.length; r++) {
				set(t.batchNorm()[r], array(pair[1], t, roles[r], new int[] { out }).values(), manager);
				n += out;
			}
		}
		return n;
	}

	private KerasArray array(final KerasLayer layer, final TargetConv t, final String role, final int[] shape) {
		final KerasArray a = layer.arrays().get(role);
		final String where = file + ": layer " + layer.name() + " (" + t.role() + ")";
		if (a == null) throw new InvalidInputException(where + ": has no " + role + " (it holds " + layer.arrays().keySet() + ")");
		if (t.isClassifier() && role.equals("kernel") && a.shape().length == 4 && a.shape()[3] != classes)
			throw new InvalidInputException(where + ": has " + a.shape()[3] + " output classes, but classes=" + classes);
		if (!java.util.Arrays.equals(a.shape(), shape))
			throw new InvalidInputException(where + ": " + role + " has shape " + a.shapeText() + ", which does not fit variant=" + variant +
				", backbone=" + backbone + " at width " + t.kernel().getArray().getShape().get(0) + " (expected " + KerasArray.shapeText(shape) + ")");
		final int bad = a.firstNonFinite();
		if (bad >= 0) throw new InvalidInputException(where + ": " + role + " has a non-finite value (" + a.values()[bad] + " at index " + bad + ")");
		return a;
	}

	private static void set(final Parameter p, final float[] values, final NDManager manager) {
		final NDArray target = p.getArray();
		try (NDArray src = EngineArrays.create(manager, values, target.getShape())) {
			src.copyTo(target);
		}
	}

	private JsonObject record(final KerasWeightsFile.Contents contents, final long values) {
		final JsonObject r = new JsonObject();
		r.addProperty("command", "UNet3+ Import");
		r.addProperty("source", file.toAbsolutePath().normalize().toString());
		r.addProperty("layout", contents.layout().name().toLowerCase(java.util.Locale.ROOT));
		r.addProperty("keras_layers_with_weights", contents.layers().size());
		r.addProperty("values", values);
		r.addProperty("imported_at", Instant.now().toString());
		r.addProperty("unet3p_version", ModelBundle.version());
		return r;
	}

	/** Keras' automatically named layers of one kind in creation order (by their numbers). */
	static List<KerasLayer> inCreationOrder(final List<KerasLayer> layers) {
		final Map<String, Long> numbers = new HashMap<>();
		for (final KerasLayer l : layers)
			numbers.put(l.name(), l.number());
		return layers.stream().sorted(Comparator.comparingLong(l -> numbers.get(l.name()))).toList();
	}
}
