package io.github.unet3p.core.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;

import io.github.unet3p.core.model.BundleArchive;
import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.ModelWeights;
import io.github.unet3p.core.model.UNet3PlusNet;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The model a fine-tuning run starts from ({@code init=<bundle>}): a bundle folder or {@code .zip}
 * written by UNet3+ Train or UNet3+ Import. Its architecture decides the network; its weights and
 * BatchNorm statistics replace the random initialisation; the optimizer starts fresh.
 *
 * <p>NB: an architecture key (variant, backbone, filters, classes) counts as given when it differs
 * from the reference recipe's default, since a command cannot tell a key left out from one typed with
 * its default value. A given key must equal the bundle's; a key at its default takes the bundle's
 * value. So {@code init=…} alone fine-tunes whatever the bundle holds.
 */
public final class InitialModel {

	private final Path source;
	private final ModelSpec architecture;
	private final JsonObject record;

	private InitialModel(final Path source, final ModelSpec architecture, final JsonObject record) {
		this.source = source;
		this.architecture = architecture;
		this.record = record;
	}

	/**
	 * Reads the spec of the bundle at {@code path} (folder or {@code .zip}).
	 *
	 * @throws InvalidInputException naming {@code path} when it is no readable model bundle
	 */
	public static InitialModel read(final Path path) {
		try (BundleArchive archive = BundleArchive.open(path)) {
			final ModelBundle bundle = archive.read();
			return new InitialModel(path, bundle.architecture(), bundle.training());
		}
	}

	/** The bundle's architecture, at the size it was prepared for. */
	public ModelSpec architecture() {
		return architecture;
	}

	/** Where the bundle was read from. */
	public Path source() {
		return source;
	}

	/**
	 * The architecture to fine-tune: the bundle's, after checking each given key of {@code requested}
	 * (one that differs from the recipe's default) against it. The size is {@code requested}'s.
	 *
	 * @throws InvalidInputException naming the bundle and every key that disagrees with it
	 */
	public ModelSpec reconcile(final ModelSpec requested) {
		final ModelSpec defaults = ModelSpec.builder().build();
		final List<String> disagree = new ArrayList<>();
		check(disagree, TrainKeys.VARIANT, requested.variant().key(), defaults.variant().key(), architecture.variant().key());
		check(disagree, TrainKeys.BACKBONE, requested.backbone().key(), defaults.backbone().key(), architecture.backbone().key());
		check(disagree, TrainKeys.FILTERS, requested.filters(), defaults.filters(), architecture.filters());
		check(disagree, TrainKeys.CLASSES, requested.classes(), defaults.classes(), architecture.classes());
		if (!disagree.isEmpty())
			throw new InvalidInputException("init model " + source + " is " + describe(architecture) + ", but " + String.join(", ", disagree)
				+ " was given; leave those keys out to fine-tune the bundle's architecture, or leave init out to train a new model.");
		return architecture.toBuilder().optSize(requested.size()).build();
	}

	private static void check(final List<String> disagree, final String key, final Object given, final Object recipeDefault, final Object bundle) {
		if (!given.equals(recipeDefault) && !given.equals(bundle)) disagree.add(key + "=" + given);
	}

	private static String describe(final ModelSpec s) {
		return TrainKeys.VARIANT + "=" + s.variant().key() + " " + TrainKeys.BACKBONE + "=" + s.backbone().key() + " " + TrainKeys.FILTERS + "="
			+ s.filters() + " " + TrainKeys.CLASSES + "=" + s.classes();
	}

	/**
	 * Replaces {@code net}'s weights and BatchNorm statistics with the bundle's. Precondition:
	 * {@code net} is initialised and built from {@link #reconcile}'s architecture.
	 *
	 * @throws InvalidInputException naming the bundle when its weights are missing or do not fit
	 */
	public void loadInto(final UNet3PlusNet net) throws IOException {
		try (BundleArchive archive = BundleArchive.open(source)) {
			final Path weights = archive.folder().resolve(ModelBundle.WEIGHTS_FILE);
			try {
				ModelWeights.load(net, weights);
			}
			catch (final InvalidInputException e) {
				throw new InvalidInputException("init model " + source + ": " + e.getMessage().replace(weights.toString(), ModelBundle.WEIGHTS_FILE));
			}
		}
	}

	/** What the training record says of the starting point: the bundle and its own record's origin. */
	public JsonObject describeForRecord() {
		final JsonObject o = new JsonObject();
		o.addProperty("bundle", source.toAbsolutePath().toString());
		o.addProperty(TrainKeys.VARIANT, architecture.variant().key());
		o.addProperty(TrainKeys.BACKBONE, architecture.backbone().key());
		o.addProperty(TrainKeys.FILTERS, architecture.filters());
		o.addProperty(TrainKeys.CLASSES, architecture.classes());
		if (record != null && record.has("best_val_dice")) o.add("best_val_dice", record.get("best_val_dice"));
		if (record != null && record.has("imported_from")) o.add("imported_from", record.get("imported_from"));
		return o;
	}
}
