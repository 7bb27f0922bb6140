package io.github.unet3p.core.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.ModelSpec;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * The {@code metadata_props} of an exported model: the bundle's architecture and preparation, so
 * that any reader knows how to feed the network, and the digest of the weights it was written
 * from, so that a cached export is never used with other weights.
 *
 * <p>Keys (all values are text): {@value #FORMAT} ({@value #FORMAT_NAME}), {@value #FORMAT_VERSION},
 * the architecture ({@code unet3p.variant}, {@code .backbone}, {@code .filters}, {@code .classes},
 * {@code .size}), the preparation ({@code unet3p.hu_min}, {@code .hu_max}, {@code .prep_size},
 * {@code .orientation}, {@code .channels}, {@code .labels}, {@code .scaling}), {@value #WEIGHTS_SHA256},
 * and two human-readable lines, {@value #INPUT} and {@value #OUTPUT}.
 */
public final class OnnxMetadata {

	/** Key naming the kind of file. */
	public static final String FORMAT = "unet3p.format";
	/** Value of {@link #FORMAT}. */
	public static final String FORMAT_NAME = "unet3p-fiji-onnx";
	/** Key of the metadata layout version. */
	public static final String FORMAT_VERSION = "unet3p.format_version";
	/** The metadata layout version written here. */
	public static final int VERSION = 1;
	/** Key of the SHA-256 (hex) of the bundle's weights file the model was exported from. */
	public static final String WEIGHTS_SHA256 = "unet3p.weights_sha256";
	/** Key of the input description. */
	public static final String INPUT = "unet3p.input";
	/** Key of the output description. */
	public static final String OUTPUT = "unet3p.output";

	/** Architecture keys, in the order they are compared. */
	static final List<String> ARCHITECTURE = List.of("unet3p.variant", "unet3p.backbone", "unet3p.filters", "unet3p.classes", "unet3p.size");
	/** Preparation keys, in the order they are compared. */
	static final List<String> PREPARATION = List.of("unet3p.hu_min", "unet3p.hu_max", "unet3p.prep_size", "unet3p.orientation", "unet3p.channels",
			"unet3p.labels", "unet3p.scaling");

	private OnnxMetadata() {}

	/** The metadata of {@code bundle} exported from weights with digest {@code weightsSha256}, in key order. */
	public static Map<String, String> of(final ModelBundle bundle, final String weightsSha256) {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put(FORMAT, FORMAT_NAME);
		m.put(FORMAT_VERSION, Integer.toString(VERSION));
		m.putAll(architecture(bundle.architecture()));
		m.putAll(preparation(bundle.preparation()));
		m.put(WEIGHTS_SHA256, weightsSha256);
		final ModelSpec a = bundle.architecture();
		m.put(INPUT, OnnxExport.INPUT + ": float32 (N, 3, " + a.size() + ", " + a.size() + "), NCHW; channels = CT slices k-1, k, k+1 after rot90, resize to "
				+ a.size() + " (cubic), clip to [" + bundle.preparation().huMin() + ", " + bundle.preparation().huMax()
				+ "] HU, per-slice min-max to uint8 (truncated); value = uint8 / 255");
		m.put(OUTPUT, OnnxExport.OUTPUT + ": float32 (N, " + a.classes() + ", " + a.size() + ", " + a.size() + "), "
				+ (a.classes() == 1 ? "sigmoid foreground probability" : "softmax class probabilities, class 0 = background") + "; labels = argmax"
				+ (a.classes() == 1 ? " (> 0.5)" : "") + ", then undo the resize and rot90");
		return m;
	}

	static Map<String, String> architecture(final ModelSpec a) {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put(ARCHITECTURE.get(0), a.variant().key());
		m.put(ARCHITECTURE.get(1), a.backbone().key());
		m.put(ARCHITECTURE.get(2), Integer.toString(a.filters()));
		m.put(ARCHITECTURE.get(3), Integer.toString(a.classes()));
		m.put(ARCHITECTURE.get(4), Integer.toString(a.size()));
		return m;
	}

	static Map<String, String> preparation(final PreparationSpec p) {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put(PREPARATION.get(0), Double.toString(p.huMin()));
		m.put(PREPARATION.get(1), Double.toString(p.huMax()));
		m.put(PREPARATION.get(2), Integer.toString(p.size()));
		m.put(PREPARATION.get(3), p.orientation());
		m.put(PREPARATION.get(4), p.channels());
		m.put(PREPARATION.get(5), p.labels());
		m.put(PREPARATION.get(6), p.scaling());
		return m;
	}

	/**
	 * The SHA-256 of {@code file} as lowercase hex.
	 *
	 * @throws InvalidInputException naming the file when it cannot be read
	 */
	public static String sha256(final Path file) {
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
			final byte[] buffer = new byte[1 << 16];
			while (in.read(buffer) >= 0) {
				// the digest sees every byte read
			}
			return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (final NoSuchFileException e) {
			throw new InvalidInputException(file + ": file not found.", e);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("the JDK has no SHA-256", e);
		}
	}

	/**
	 * The entries of {@code keys} whose value in {@code found} differs from {@code expected}, as
	 * {@code key: file has X, bundle has Y}.
	 */
	static List<String> differences(final List<String> keys, final Map<String, String> found, final Map<String, String> expected) {
		final List<String> out = new ArrayList<>();
		for (final String k : keys) {
			final String f = found.get(k), e = expected.get(k);
			if (!e.equals(f)) out.add(k.substring("unet3p.".length()) + " " + (f == null ? "missing" : "'" + f + "'") + " (the bundle has '" + e + "')");
		}
		return out;
	}
}
