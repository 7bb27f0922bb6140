package io.github.unet3p.core.bioimageio;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.unet3p.core.util.InvalidInputException;

/** What UNet3+ Export writes ({@code format}). */
public enum ExportFormat {

	/** One ONNX file with the bundle's preparation as metadata ({@code core.onnx.OnnxExport}); the default. */
	ONNX("onnx"),
	/** A bioimage.io model package, a zip or a folder ({@link BioImageIoExport}). */
	BIOIMAGEIO("bioimageio");

	/** The key of the choice. */
	public static final String KEY = "format";
	/** The format used when the key is not given. */
	public static final ExportFormat DEFAULT = ONNX;

	private final String key;

	ExportFormat(final String key) {
		this.key = key;
	}

	/** The value users type. */
	public String key() {
		return key;
	}

	/** Every value users may type, in declaration order: the {@code format} key's choice list. */
	public static String[] keys() {
		return Arrays.stream(values()).map(ExportFormat::key).toArray(String[]::new);
	}

	/**
	 * The format with this value; {@code null} or empty means {@link #DEFAULT}.
	 *
	 * @throws InvalidInputException naming the key {@code format} and the allowed values
	 */
	public static ExportFormat fromKey(final String key) {
		if (key == null || key.isEmpty()) return DEFAULT;
		for (final ExportFormat f : values())
			if (f.key.equals(key)) return f;
		throw new InvalidInputException(KEY + ": unknown value '" + key + "'; expected one of "
				+ Arrays.stream(values()).map(f -> "'" + f.key + "'").collect(Collectors.joining(", ")));
	}

	@Override
	public String toString() {
		return key;
	}
}
