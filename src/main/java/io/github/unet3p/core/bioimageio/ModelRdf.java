package io.github.unet3p.core.bioimageio;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.onnx.OnnxExport;

/**
 * The {@code rdf.yaml} of a package: a bioimage.io model description of format
 * {@value #FORMAT_VERSION} (bioimage-io/spec-bioimage-io {@code model/v0_5.py}) as a tree for
 * {@link YamlText}. File names are this package's; {@code sha256} maps each file to its digest.
 *
 * <p>Tensors: input {@value OnnxExport#INPUT} (batch, channel {@code slice_k_minus_1, slice_k,
 * slice_k_plus_1}, y, x), float32 values 0…255 of the prepared RGB slice, preprocessed by
 * {@code scale_linear} with gain 1/255 to what the network takes; output
 * {@value OnnxExport#OUTPUT} (batch, channel = classes, y, x), the softmax (or sigmoid)
 * probabilities. Every space axis has an explicit {@code id} and fixed size (JDLL needs the id).
 */
public final class ModelRdf {

	/** The model format version written (the newest of bioimage-io/spec-bioimage-io, February 2026). */
	public static final String FORMAT_VERSION = "0.5.7";
	/** The description file; JDLL and bioimageio.core look for exactly this name. */
	public static final String RDF = "rdf.yaml";
	/** The documentation file. */
	public static final String DOCUMENTATION = "README.md";
	/** The cover image. */
	public static final String COVER = "cover.png";
	/** The test input tensor. */
	public static final String TEST_INPUT = "test_input.npy";
	/** The test output tensor. */
	public static final String TEST_OUTPUT = "test_output.npy";
	/** The sample input: the prepared slice as a PNG, which deepImageJ can open and run. */
	public static final String SAMPLE_INPUT = "sample_input.png";
	/** The license of this software (its LICENSE file), also given to the package. */
	public static final String LICENSE = "Apache-2.0";
	/** The UNet 3+ paper (Huang et al., ICASSP 2020). */
	public static final String UNET3P_DOI = "10.1109/ICASSP40776.2020.9053405";
	/** The reference recipe. */
	public static final String RECIPE_URL = "https://github.com/NVIDIA/DeepLearningExamples/tree/master/TensorFlow2/Segmentation/Contrib/UNet3P";
	/** The LiTS benchmark (Bilic et al., Medical Image Analysis 2023). */
	public static final String LITS_DOI = "10.1016/j.media.2022.102680";
	/** The gain of the input's {@code scale_linear}: the network takes uint8 / 255. */
	public static final double GAIN = 1.0 / 255.0;
	/** The absolute tolerance within which ONNX Runtime 1.8.1 and this plugin reproduce the test output (tested). */
	public static final double TOLERANCE = 1e-4;
	/** Input channel names, R, G, B. */
	public static final List<String> INPUT_CHANNELS = List.of("slice_k_minus_1", "slice_k", "slice_k_plus_1");

	private ModelRdf() {}

	/**
	 * The description of {@code bundle}'s package.
	 *
	 * @param authors at least one name
	 * @param sha256 every file of the package (but {@value #RDF}) to its SHA-256, hex
	 * @param attachments the package's files for UNet3+ for Fiji ({@code unet3p.json},
	 *          {@code weights.params}, {@code training/…}), in order
	 */
	public static Map<String, Object> of(final ModelBundle bundle, final List<String> authors, final Map<String, String> sha256, final List<String> attachments,
			final OffsetDateTime timestamp) {
		final ModelSpec a = bundle.architecture();
		final Map<String, Object> r = new LinkedHashMap<>();
		r.put("format_version", FORMAT_VERSION);
		r.put("type", "model");
		r.put("name", name(a));
		r.put("description", "Liver segmentation of abdominal CT, one axial slice at a time: UNet 3+ (" + a.variant().key() + ", " + a.backbone().key()
				+ " encoder, width " + a.filters() + ") trained with UNet3+ for Fiji after NVIDIA's UNet3+ recipe for LiTS 2017. Input: the slice and its two neighbours, "
				+ "prepared as the documentation says (UNet3+ Prepare Open Image in Fiji); output: class probabilities.");
		final List<Object> people = new ArrayList<>();
		for (final String name : authors)
			people.add(Map.of("name", name));
		r.put("authors", people);
		r.put("cite", List.of(
				cite("Huang H, Lin L, Tong R, et al. UNet 3+: A Full-Scale Connected UNet for Medical Image Segmentation. ICASSP 2020, 1055-1059.", "doi", UNET3P_DOI),
				cite("NVIDIA Deep Learning Examples: UNet3+ for TensorFlow 2 (LiTS liver segmentation), the recipe this model follows.", "url", RECIPE_URL),
				cite("Bilic P, Christ P, Li HB, et al. The Liver Tumor Segmentation Benchmark (LiTS). Medical Image Analysis 84 (2023) 102680.", "doi", LITS_DOI)));
		r.put("license", LICENSE);
		r.put("tags", List.of("segmentation", "semantic-segmentation", "2d", "ct", "liver", "unet3plus", "onnx", "fiji", "deepimagej"));
		r.put("documentation", DOCUMENTATION);
		r.put("covers", List.of(COVER));
		r.put("timestamp", timestamp.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT)));
		r.put("inputs", List.of(input(a, sha256)));
		r.put("outputs", List.of(output(a, sha256)));
		r.put("weights", Map.of("onnx", weights(sha256)));
		final List<Object> files = new ArrayList<>();
		for (final String f : attachments)
			files.add(file(f, sha256));
		r.put("attachments", files);
		r.put("config", config(bundle));
		return r;
	}

	/** {@code UNet3+ liver CT 320px (variant backbone width)}: only characters the spec allows in a name. */
	static String name(final ModelSpec a) {
		return "UNet3+ liver CT " + a.size() + "px (" + a.variant().key() + " " + a.backbone().key() + " " + a.filters() + ")";
	}

	private static Map<String, Object> cite(final String text, final String kind, final String ref) {
		final Map<String, Object> c = new LinkedHashMap<>();
		c.put("text", text);
		c.put(kind, ref);
		return c;
	}

	private static Map<String, Object> file(final String name, final Map<String, String> sha256) {
		final Map<String, Object> f = new LinkedHashMap<>();
		f.put("source", name);
		final String digest = sha256.get(name);
		if (digest == null) throw new IllegalArgumentException("no sha256 for " + name);
		f.put("sha256", digest);
		return f;
	}

	private static Map<String, Object> axis(final String type, final String id, final Object size) {
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("type", type);
		if (id != null) m.put("id", id);
		if (size != null) m.put("size", size);
		return m;
	}

	private static List<Object> axes(final List<String> channels, final int size) {
		final Map<String, Object> channel = axis("channel", "channel", null);
		channel.put("channel_names", channels);
		return List.of(axis("batch", null, null), channel, axis("space", "y", size), axis("space", "x", size));
	}

	private static Map<String, Object> ensure() {
		return pair("id", "ensure_dtype", "kwargs", Map.of("dtype", "float32"));
	}

	/** A two-entry map in this order. */
	private static Map<String, Object> pair(final String k1, final Object v1, final String k2, final Object v2) {
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put(k1, v1);
		m.put(k2, v2);
		return m;
	}

	private static Map<String, Object> input(final ModelSpec a, final Map<String, String> sha256) {
		final Map<String, Object> t = new LinkedHashMap<>();
		t.put("id", OnnxExport.INPUT);
		t.put("description", "prepared CT slice k-1, k, k+1 as R, G, B (0-255): rot90, cubic resize, HU window, per-slice min-max");
		t.put("axes", axes(INPUT_CHANNELS, a.size()));
		t.put("test_tensor", file(TEST_INPUT, sha256));
		t.put("sample_tensor", file(SAMPLE_INPUT, sha256));
		t.put("data", pair("type", "float32", "range", List.of(0.0, 255.0)));
		final Map<String, Object> scale = new LinkedHashMap<>();
		scale.put("gain", GAIN);
		scale.put("offset", 0.0);
		t.put("preprocessing", List.of(ensure(), pair("id", "scale_linear", "kwargs", scale), ensure()));
		return t;
	}

	/** Output channel names: background, liver, then class_2…; one sigmoid channel is liver. */
	static List<String> classNames(final int classes) {
		if (classes == 1) return List.of("liver");
		final List<String> names = new ArrayList<>(List.of("background", "liver"));
		for (int c = 2; c < classes; c++)
			names.add("class_" + c);
		return names;
	}

	private static Map<String, Object> output(final ModelSpec a, final Map<String, String> sha256) {
		final Map<String, Object> t = new LinkedHashMap<>();
		t.put("id", OnnxExport.OUTPUT);
		t.put("description", a.classes() == 1 ? "sigmoid liver probability" : "softmax class probabilities over the channel axis");
		t.put("axes", axes(classNames(a.classes()), a.size()));
		t.put("test_tensor", file(TEST_OUTPUT, sha256));
		t.put("data", pair("type", "float32", "range", List.of(0.0, 1.0)));
		t.put("postprocessing", List.of(ensure()));
		return t;
	}

	private static Map<String, Object> weights(final Map<String, String> sha256) {
		final Map<String, Object> w = file(OnnxExport.FILE, sha256);
		w.put("opset_version", OnnxExport.OPSET);
		w.put("comment", "exported by UNet3+ for Fiji " + ModelBundle.version() + " (UNet3+ Export) from " + ModelBundle.WEIGHTS_FILE + "; BatchNorm explicit");
		return w;
	}

	/**
	 * {@code config.unet3p_fiji}: this plugin's bundle spec (architecture, preparation, training record).
	 *
	 * <p>NB: no {@code reproducibility_tolerance} stricter than bioimage.io's default (1e-3) is
	 * declared: our own tests hold the package to {@value #TOLERANCE}, but the Model Zoo's runners
	 * on other hardware should not fail on rounding.
	 */
	private static Map<String, Object> config(final ModelBundle bundle) {
		return Map.of("unet3p_fiji", jsonTree(bundle));
	}

	/** The bundle's spec as maps, lists and scalars (numbers that are whole stay integers). */
	private static Map<String, Object> jsonTree(final ModelBundle bundle) {
		final Map<String, Object> m = new Gson().fromJson(bundle.toJson(), new TypeToken<LinkedHashMap<String, Object>>() {}.getType());
		return integral(m);
	}

	@SuppressWarnings("unchecked")
	private static <T> T integral(final T v) {
		if (v instanceof Map<?, ?> m) {
			final Map<String, Object> out = new LinkedHashMap<>();
			m.forEach((k, x) -> out.put((String) k, integral(x)));
			return (T) out;
		}
		if (v instanceof List<?> l) return (T) l.stream().map(ModelRdf::integral).toList();
		if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return (T) Long.valueOf(d.longValue());
		if (v == null) return (T) "";
		return v;
	}
}
