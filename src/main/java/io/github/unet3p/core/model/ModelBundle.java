package io.github.unet3p.core.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * A trained model as a self-describing folder: {@value #SPEC_FILE} (format version, architecture,
 * the preparation its slices had, the training record) and {@value #WEIGHTS_FILE} (the weights).
 * Segmentation reads the spec, so a model is never fed differently prepared data.
 *
 * <p>NB: a bundle is data. Reading one never runs code: the spec is JSON, the weights are DJL's
 * parameter stream behind our own header (no Java serialisation, no TorchScript).
 */
public final class ModelBundle {

	/** The spec file inside a bundle folder. */
	public static final String SPEC_FILE = "unet3p.json";
	/** The weights file inside a bundle folder. */
	public static final String WEIGHTS_FILE = "weights.params";
	/** The field of the spec holding the import record of an imported model. */
	public static final String IMPORT_FIELD = "import";
	/** The description file of a bioimage.io model package, which UNet3+ Export writes beside a bundle. */
	public static final String PACKAGE_FILE = "rdf.yaml";
	/** Value of the {@code format} field. */
	public static final String FORMAT = "unet3p-fiji-model";
	/** The format version this code writes and the newest it reads. */
	public static final int FORMAT_VERSION = 1;

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

	private final ModelSpec architecture;
	private final PreparationSpec preparation;
	private final JsonObject training;
	private final JsonObject imported;

	/**
	 * Creates a bundle description.
	 *
	 * @param training free-form training record (settings, epochs, best validation Dice, timings,
	 *          versions); copied
	 */
	public ModelBundle(final ModelSpec architecture, final PreparationSpec preparation, final JsonObject training) {
		this(architecture, preparation, training, null);
	}

	/**
	 * Creates a bundle description with an import record ({@value #IMPORT_FIELD}: where the weights
	 * came from, for a bundle written by {@code UNet3+ Import}).
	 *
	 * @param training free-form training record; copied (empty for an imported model)
	 * @param imported free-form import record (source file, its layout, ...); copied; null or empty
	 *          for a model trained by the plugin
	 */
	public ModelBundle(final ModelSpec architecture, final PreparationSpec preparation, final JsonObject training, final JsonObject imported) {
		if (architecture.size() != preparation.size())
			throw new InvalidInputException("The model's input size (" + architecture.size() + ") differs from the slices' size (" + preparation.size() + ").");
		this.architecture = architecture;
		this.preparation = preparation;
		this.training = training == null ? new JsonObject() : training.deepCopy();
		this.imported = imported == null ? new JsonObject() : imported.deepCopy();
	}

	/** The network architecture. */
	public ModelSpec architecture() {
		return architecture;
	}

	/** How the input slices are prepared. */
	public PreparationSpec preparation() {
		return preparation;
	}

	/** The training record (a copy). */
	public JsonObject training() {
		return training.deepCopy();
	}

	/** The import record (a copy): empty unless the weights were imported ({@code UNet3+ Import}). */
	public JsonObject importRecord() {
		return imported.deepCopy();
	}

	/** Whether {@code folder} looks like a bundle (has a spec file). */
	public static boolean isBundle(final Path folder) {
		return Files.isRegularFile(folder.resolve(SPEC_FILE));
	}

	/**
	 * Reads and checks the spec of the bundle in {@code folder}.
	 *
	 * @throws InvalidInputException naming the file for a missing folder or spec, malformed JSON,
	 *           another format, a newer format version, or an invalid architecture
	 */
	public static ModelBundle read(final Path folder) {
		final Path file = folder.resolve(SPEC_FILE);
		if (!Files.isDirectory(folder)) throw new InvalidInputException("Model " + folder + " is not a folder (a UNet3+ model bundle is a folder with " + SPEC_FILE + ").");
		if (!Files.isRegularFile(file) && Files.isRegularFile(folder.resolve(PACKAGE_FILE)))
			throw new InvalidInputException("Model " + folder + " is a bioimage.io package without " + SPEC_FILE + ": only packages written by UNet3+ Export "
					+ "(format=bioimageio) carry the UNet3+ bundle this plugin reads; run other packages in deepImageJ.");
		if (!Files.isRegularFile(file)) throw new InvalidInputException("Model folder " + folder + " has no " + SPEC_FILE + "; is it a UNet3+ model?");
		final JsonObject root;
		try {
			if (Files.size(file) > 16 << 20) throw new InvalidInputException(file + " is too large to be a model spec.");
			final JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
			if (!e.isJsonObject()) throw new InvalidInputException(file + " is not a JSON object.");
			root = e.getAsJsonObject();
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read " + file + ": " + e.getMessage());
		}
		catch (final JsonParseException e) {
			throw new InvalidInputException(file + " is not valid JSON: " + e.getMessage());
		}
		try {
			if (!FORMAT.equals(string(root, "format"))) throw new InvalidInputException(file + " is not a UNet3+ for Fiji model spec (format is not '" + FORMAT + "').");
			final int version = root.get("format_version").getAsInt();
			if (version > FORMAT_VERSION)
				throw new InvalidInputException(file + " has format version " + version + "; this UNet3+ for Fiji reads up to " + FORMAT_VERSION + ". Update the plugin.");
			if (version < 1) throw new InvalidInputException(file + " has an invalid format version " + version + ".");
			final JsonObject a = root.getAsJsonObject("architecture");
			final ModelSpec spec = ModelSpec.builder().optVariant(string(a, "variant")).optBackbone(string(a, "backbone")).optFilters(a.get("filters").getAsInt())
					.optClasses(a.get("classes").getAsInt()).optSize(a.get("size").getAsInt()).build();
			final JsonObject p = root.getAsJsonObject("preprocessing");
			final PreparationSpec prep = new PreparationSpec(p.get("hu_min").getAsDouble(), p.get("hu_max").getAsDouble(), p.get("size").getAsInt(),
					string(p, "orientation"), string(p, "channels"), string(p, "labels"), string(p, "scaling"));
			final JsonObject t = root.has("training") && root.get("training").isJsonObject() ? root.getAsJsonObject("training") : new JsonObject();
			final JsonObject imp = root.has(IMPORT_FIELD) && root.get(IMPORT_FIELD).isJsonObject() ? root.getAsJsonObject(IMPORT_FIELD) : null;
			return new ModelBundle(spec, prep, t, imp);
		}
		catch (final InvalidInputException e) {
			throw e.getMessage().contains(file.toString()) ? e : new InvalidInputException(file + ": " + e.getMessage());
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + " is missing a field or has one of the wrong type (" + e.getMessage() + ").");
		}
	}

	private static String string(final JsonObject o, final String key) {
		if (o == null || !o.has(key) || !o.get(key).isJsonPrimitive()) throw new InvalidInputException("missing text field '" + key + "'");
		return o.get(key).getAsString();
	}

	/** The spec as JSON. */
	public JsonObject toJson() {
		final JsonObject root = new JsonObject();
		root.addProperty("format", FORMAT);
		root.addProperty("format_version", FORMAT_VERSION);
		root.addProperty("created_by", "UNet3+ for Fiji " + version());
		final JsonObject a = new JsonObject();
		a.addProperty("variant", architecture.variant().key());
		a.addProperty("backbone", architecture.backbone().key());
		a.addProperty("filters", architecture.filters());
		a.addProperty("classes", architecture.classes());
		a.addProperty("size", architecture.size());
		a.addProperty("input_channels", ModelSpec.CHANNELS);
		a.addProperty("layout", "NCHW, float32, values = uint8 / 255");
		root.add("architecture", a);
		final JsonObject p = new JsonObject();
		p.addProperty("hu_min", preparation.huMin());
		p.addProperty("hu_max", preparation.huMax());
		p.addProperty("size", preparation.size());
		p.addProperty("orientation", preparation.orientation());
		p.addProperty("channels", preparation.channels());
		p.addProperty("labels", preparation.labels());
		p.addProperty("scaling", preparation.scaling());
		root.add("preprocessing", p);
		root.addProperty("weights", WEIGHTS_FILE);
		root.add("training", training.deepCopy());
		if (imported.size() > 0) root.add(IMPORT_FIELD, imported.deepCopy());
		return root;
	}

	/** Writes the spec into {@code folder} atomically (creating the folder). */
	public void writeSpec(final Path folder) throws IOException {
		Files.createDirectories(folder);
		AtomicFiles.write(folder.resolve(SPEC_FILE), GSON.toJson(toJson()).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Builds the network, initialises it on {@code manager} and loads the bundle's weights.
	 *
	 * @throws InvalidInputException when the weights are missing, malformed or do not fit
	 */
	public UNet3PlusNet loadNetwork(final Path folder, final NDManager manager) {
		final Path weights = folder.resolve(WEIGHTS_FILE);
		if (!Files.isRegularFile(weights)) throw new InvalidInputException("Model folder " + folder + " has no " + WEIGHTS_FILE + " (training never finished an epoch?).");
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(architecture).build();
		net.initialize(manager, 0);
		try {
			ModelWeights.load(net, weights);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read " + weights + ": " + e.getMessage());
		}
		return net;
	}

	/** This software's version, from the jar's manifest (or "dev" when run from classes). */
	public static String version() {
		final String v = ModelBundle.class.getPackage().getImplementationVersion();
		return v == null ? "dev" : v;
	}
}
