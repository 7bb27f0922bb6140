package io.github.unet3p.core.bioimageio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.github.unet3p.core.onnx.OnnxMetadata;
import io.github.unet3p.core.volume.SliceImage;
import io.github.unet3p.core.volume.png.PngCodec;

/**
 * Our structural check of a bioimage.io model package (a folder): the rules of
 * bioimage-io/spec-bioimage-io {@code model/v0_5.py} and {@code generic/v0_3.py} for the fields
 * UNet3+ Export writes, plus what JDLL needs (the exact {@code rdf.yaml} name, space axes with an
 * explicit {@code id}, integer sizes, an opset it maps to an ONNX Runtime, its {@code .npy} header).
 * Every problem is one line naming the field.
 */
public final class PackageChecker {

	static final Pattern NAME_CHARS = Pattern.compile("[A-Za-z0-9_+\\- ()]{5,128}");
	static final Pattern LOWER_ID = Pattern.compile("[a-z_][a-z0-9_]*");
	static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
	static final Pattern DOI = Pattern.compile("10\\.[0-9]{4,9}/\\S+");
	static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
	static final Set<String> AXIS_TYPES = Set.of("batch", "channel", "index", "time", "space");
	static final Set<String> DTYPES = Set.of("float32", "float64", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "bool");
	static final Set<String> PREPROCESSING = Set.of("binarize", "clip", "ensure_dtype", "fixed_zero_mean_unit_variance", "scale_linear", "scale_range", "sigmoid",
			"softmax");
	static final Set<String> POSTPROCESSING = Set.of("binarize", "clip", "ensure_dtype", "fixed_zero_mean_unit_variance", "scale_linear", "scale_mean_variance",
			"scale_range", "sigmoid", "softmax", "zero_mean_unit_variance");
	/** SPDX identifiers we accept (common ones; the spec takes any of the SPDX list). */
	static final Set<String> SPDX = Set.of("Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0",
			"CC-BY-NC-SA-4.0", "GPL-3.0-only", "GPL-3.0-or-later", "LGPL-3.0-only", "MPL-2.0");
	/** The opsets JDLL's supportedVersions.json maps to an ONNX Runtime (6…18). */
	static final int MIN_OPSET = 6, MAX_OPSET = 18;

	private final Path folder;
	private final List<String> problems = new ArrayList<>();

	private PackageChecker(final Path folder) {
		this.folder = folder;
	}

	/** The package's {@code rdf.yaml} read as JDLL reads it (SnakeYAML, safe constructor). */
	static Map<String, Object> read(final Path folder) throws IOException {
		final Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(folder.resolve("rdf.yaml"), StandardCharsets.UTF_8));
		@SuppressWarnings("unchecked")
		final Map<String, Object> m = (Map<String, Object>) o;
		return m;
	}

	/** Every problem of the package in {@code folder}; none means it passes. */
	public static List<String> check(final Path folder) throws IOException {
		if (!Files.isRegularFile(folder.resolve("rdf.yaml"))) return List.of("rdf.yaml: missing (JDLL looks for exactly this name)");
		final String text = Files.readString(folder.resolve("rdf.yaml"), StandardCharsets.UTF_8);
		final List<String> out = new ArrayList<>();
		if (text.stripLeading().startsWith("{")) out.add("rdf.yaml: a JSON document, not block YAML");
		out.addAll(check(read(folder), folder));
		return out;
	}

	/** Every problem of {@code rdf} with its files in {@code folder}. */
	static List<String> check(final Map<String, Object> rdf, final Path folder) {
		final PackageChecker c = new PackageChecker(folder);
		c.run(rdf);
		return c.problems;
	}

	/** {@code set.contains(o)}, false for null (immutable sets throw on null). */
	static boolean has(final Set<String> set, final Object o) {
		return o != null && set.contains(o);
	}

	private void problem(final String field, final String what) {
		problems.add(field + ": " + what);
	}

	private void run(final Map<String, Object> r) {
		final Object fv = r.get("format_version");
		if (!(fv instanceof String s) || !s.matches("0\\.5\\.[0-9]+")) problem("format_version", "must be a 0.5.x string, is " + fv);
		if (!"model".equals(r.get("type"))) problem("type", "must be 'model', is " + r.get("type"));
		if (!(r.get("name") instanceof String n) || !NAME_CHARS.matcher(n).matches()) problem("name", "5-128 letters, digits, _+- () and spaces, is " + r.get("name"));
		if (!(r.get("description") instanceof String d) || d.isBlank() || d.length() > 1024) problem("description", "a text of 1-1024 characters");
		authors(r.get("authors"));
		cite(r.get("cite"));
		if (!has(SPDX, r.get("license"))) problem("license", "not an SPDX identifier: " + r.get("license"));
		documentation(r.get("documentation"));
		covers(r.get("covers"));
		timestamp(r.get("timestamp"));
		final Set<String> tensorIds = new HashSet<>();
		tensors("inputs", r.get("inputs"), PREPROCESSING, "preprocessing", tensorIds);
		tensors("outputs", r.get("outputs"), POSTPROCESSING, "postprocessing", tensorIds);
		weights(r.get("weights"));
		if (r.containsKey("attachments")) {
			if (!(r.get("attachments") instanceof List<?> l)) problem("attachments", "not a list");
			else for (int i = 0; i < l.size(); i++)
				file("attachments[" + i + "]", l.get(i), null);
		}
	}

	private void authors(final Object a) {
		if (!(a instanceof List<?> l) || l.isEmpty()) {
			problem("authors", "a non-empty list");
			return;
		}
		for (int i = 0; i < l.size(); i++)
			if (!(l.get(i) instanceof Map<?, ?> m) || !(m.get("name") instanceof String n) || n.isBlank() || n.contains("/"))
				problem("authors[" + i + "]", "needs a name without '/'");
	}

	private void cite(final Object c) {
		if (!(c instanceof List<?> l) || l.isEmpty()) {
			problem("cite", "a non-empty list");
			return;
		}
		boolean unet3p = false, recipe = false;
		for (int i = 0; i < l.size(); i++) {
			if (!(l.get(i) instanceof Map<?, ?> m) || !(m.get("text") instanceof String)) {
				problem("cite[" + i + "]", "needs a text");
				continue;
			}
			final Object doi = m.get("doi"), url = m.get("url");
			if (doi == null && url == null) problem("cite[" + i + "]", "needs a doi or a url");
			if (doi != null && !(doi instanceof String d && DOI.matcher(d).matches())) problem("cite[" + i + "].doi", "not a DOI: " + doi);
			if (url != null && !(url instanceof String u && u.matches("https?://\\S+"))) problem("cite[" + i + "].url", "not an http(s) URL: " + url);
			unet3p |= ModelRdf.UNET3P_DOI.equals(doi);
			recipe |= ModelRdf.RECIPE_URL.equals(url);
		}
		if (!unet3p) problem("cite", "no entry with the UNet 3+ paper's DOI " + ModelRdf.UNET3P_DOI);
		if (!recipe) problem("cite", "no entry with the recipe's URL");
	}

	private void documentation(final Object d) {
		if (!(d instanceof String s) || !s.endsWith(".md")) {
			problem("documentation", "a .md file, is " + d);
			return;
		}
		final Path f = inside("documentation", s);
		if (f == null) return;
		try {
			if (!Pattern.compile("#.*[vV]alidation").matcher(Files.readString(f, StandardCharsets.UTF_8)).find())
				problem("documentation", s + " has no '# Validation' section");
		}
		catch (final IOException e) {
			problem("documentation", "cannot read " + s);
		}
	}

	private void covers(final Object c) {
		if (!(c instanceof List<?> l) || l.isEmpty()) {
			problem("covers", "a non-empty list");
			return;
		}
		for (int i = 0; i < l.size(); i++) {
			final String field = "covers[" + i + "]";
			if (!(l.get(i) instanceof String s) || !s.toLowerCase().matches(".*\\.(gif|jpeg|jpg|png|svg)")) {
				problem(field, "an image file (.png, .jpg, .gif, .svg), is " + l.get(i));
				continue;
			}
			final Path f = inside(field, s);
			if (f == null || !s.toLowerCase().endsWith(".png")) continue;
			try {
				if (Files.size(f) > 500_000) problem(field, "larger than 500 kB");
				final SliceImage img = PngCodec.read(f);
				if (img.width() != img.height() && img.width() != 2 * img.height()) problem(field, "aspect ratio is not 1:1 or 2:1: " + img.width() + "x" + img.height());
			}
			catch (final IOException | RuntimeException e) {
				problem(field, "not a readable PNG: " + e.getMessage());
			}
		}
	}

	private void timestamp(final Object t) {
		try {
			if (!(t instanceof String s)) throw new DateTimeParseException("not a string", String.valueOf(t), 0);
			OffsetDateTime.parse(s);
		}
		catch (final DateTimeParseException e) {
			problem("timestamp", "not an ISO 8601 date-time text: " + t);
		}
	}

	private void tensors(final String field, final Object v, final Set<String> procIds, final String procKey, final Set<String> ids) {
		if (!(v instanceof List<?> l) || l.isEmpty()) {
			problem(field, "a non-empty list");
			return;
		}
		for (int i = 0; i < l.size(); i++) {
			final String f = field + "[" + i + "]";
			if (!(l.get(i) instanceof Map<?, ?> t)) {
				problem(f, "not a map");
				continue;
			}
			if (!(t.get("id") instanceof String id) || !LOWER_ID.matcher(id).matches() || id.length() > 32) problem(f + ".id", "a lower-case identifier, is " + t.get("id"));
			else if (!ids.add(id)) problem(f + ".id", "duplicate tensor id " + id);
			final List<Object> shape = new TensorAxes(this::problem, f).check(t.get("axes"));
			final Object data = t.get("data");
			final String dtype = data instanceof Map<?, ?> dm ? String.valueOf(dm.get("type")) : "float32";
			if (!DTYPES.contains(dtype)) problem(f + ".data.type", "unknown data type " + dtype);
			processing(f + "." + procKey, t.get(procKey), procIds, shape);
			final Path npy = file(f + ".test_tensor", t.get("test_tensor"), ".npy");
			if (npy != null) TensorAxes.checkNpy(this::problem, f + ".test_tensor", npy, shape, dtype);
			if (t.containsKey("sample_tensor")) file(f + ".sample_tensor", t.get("sample_tensor"), null);
		}
	}

	private void processing(final String field, final Object v, final Set<String> allowed, final List<Object> axisIds) {
		if (v == null) return;
		if (!(v instanceof List<?> l)) {
			problem(field, "not a list");
			return;
		}
		for (int i = 0; i < l.size(); i++) {
			if (!(l.get(i) instanceof Map<?, ?> p) || !has(allowed, p.get("id"))) {
				problem(field + "[" + i + "].id", "not one of " + allowed + ": " + (l.get(i) instanceof Map<?, ?> p ? p.get("id") : l.get(i)));
				continue;
			}
			final Object kwargs = p.get("kwargs");
			if ("ensure_dtype".equals(p.get("id")) && !(kwargs instanceof Map<?, ?> k && has(DTYPES, k.get("dtype")))) problem(field + "[" + i + "].kwargs.dtype", "missing or unknown");
			if ("scale_linear".equals(p.get("id"))) {
				final double gain = kwargs instanceof Map<?, ?> k && k.get("gain") instanceof Number n ? n.doubleValue() : 1;
				final double offset = kwargs instanceof Map<?, ?> k && k.get("offset") instanceof Number n ? n.doubleValue() : 0;
				if (gain == 1 && offset == 0) problem(field + "[" + i + "].kwargs", "a redundant scale_linear (gain 1, offset 0)");
			}
		}
	}

	private void weights(final Object v) {
		if (!(v instanceof Map<?, ?> w) || !(w.get("onnx") instanceof Map<?, ?> onnx)) {
			problem("weights", "needs an onnx entry");
			return;
		}
		final Object opset = onnx.get("opset_version");
		if (!(opset instanceof Integer o)) problem("weights.onnx.opset_version", "an integer, is " + opset);
		else if (o < MIN_OPSET || o > MAX_OPSET) problem("weights.onnx.opset_version", o + " is outside the opsets JDLL maps to an ONNX Runtime (" + MIN_OPSET + "-" + MAX_OPSET + ")");
		file("weights.onnx", onnx, ".onnx");
	}

	/** Checks a file description {source, sha256}: relative, inside, present, digest matching; the file, or null. */
	Path file(final String field, final Object v, final String suffix) {
		if (!(v instanceof Map<?, ?> m) || !(m.get("source") instanceof String source)) {
			problem(field, "needs a source");
			return null;
		}
		if (suffix != null && !source.endsWith(suffix)) problem(field + ".source", "must end with " + suffix + ": " + source);
		final Path f = inside(field + ".source", source);
		if (f == null) return null;
		final Object sha = m.get("sha256");
		if (!(sha instanceof String s) || !SHA256.matcher(s).matches()) problem(field + ".sha256", "missing or not 64 hex digits");
		else if (!s.equals(OnnxMetadata.sha256(f))) problem(field + ".sha256", "does not match " + source);
		return f;
	}

	/** The package file {@code source} names, or null after a problem when it escapes the package or is missing. */
	private Path inside(final String field, final String source) {
		if (source.startsWith("/") || source.contains("\\") || source.contains("..") || source.contains(":")) {
			problem(field, "not a relative path inside the package: " + source);
			return null;
		}
		final Path f = folder.resolve(source);
		if (!Files.isRegularFile(f)) {
			problem(field, "file " + source + " is missing");
			return null;
		}
		return f;
	}
}
