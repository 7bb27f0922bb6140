package io.github.unet3p.core.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.onnx.ir.OnnxIr.ModelProto;
import io.github.unet3p.core.onnx.ir.OnnxIr.StringStringEntryProto;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * An exported {@code model.onnx} read back: its bytes, parsed, and checked against the bundle it
 * is meant to run for.
 *
 * <p>NB: the check refuses rather than repairs. A file that is truncated, was exported from
 * another architecture, another preparation or other weights (the bundle was retrained after the
 * export) is named with what differs and how to fix it; nothing is rewritten behind the user's back.
 */
public final class OnnxModelFile {

	/** Largest file accepted (ONNX files over 2 GiB need external data, which exports here never use). */
	public static final long MAX_BYTES = (2L << 30) - 1;

	private final Path file;
	private final byte[] bytes;
	private final ModelProto model;

	private OnnxModelFile(final Path file, final byte[] bytes, final ModelProto model) {
		this.file = file;
		this.bytes = bytes;
		this.model = model;
	}

	/**
	 * Reads and parses {@code file}.
	 *
	 * @throws InvalidInputException naming the file when it is missing, unreadable, too large,
	 *             truncated or not an ONNX model
	 */
	public static OnnxModelFile read(final Path file) {
		final byte[] bytes;
		try {
			if (Files.size(file) > MAX_BYTES) throw new InvalidInputException(file + ": larger than 2 GiB; not a model exported by UNet3+ for Fiji.");
			bytes = Files.readAllBytes(file);
		}
		catch (final NoSuchFileException e) {
			throw new InvalidInputException(file + ": file not found.", e);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		return parse(file, bytes);
	}

	/**
	 * Parses {@code bytes} read from (or exported for) {@code file}.
	 *
	 * @throws InvalidInputException naming the file when the bytes are not an ONNX model
	 */
	public static OnnxModelFile parse(final Path file, final byte[] bytes) {
		final ModelProto model;
		try {
			model = ModelProto.parseFrom(bytes);
		}
		catch (final InvalidProtocolBufferException e) {
			throw new InvalidInputException(file + ": not a readable ONNX model (truncated or damaged: " + e.getMessage() + "). Delete it, or write it again with UNet3+ Export.", e);
		}
		if (!model.hasGraph() || model.getGraph().getNodeCount() == 0)
			throw new InvalidInputException(file + ": not an ONNX model with a graph (truncated or another kind of file). Delete it, or write it again with UNet3+ Export.");
		return new OnnxModelFile(file, bytes, model);
	}

	/** The file this was read from. */
	public Path file() {
		return file;
	}

	/** The encoded model (not copied: do not change it). */
	public byte[] bytes() {
		return bytes;
	}

	/** The parsed model. */
	public ModelProto model() {
		return model;
	}

	/** The {@code metadata_props} as a map (a later entry wins over an earlier one with the same key). */
	public Map<String, String> metadata() {
		final Map<String, String> m = new HashMap<>();
		for (final StringStringEntryProto e : model.getMetadataPropsList())
			m.put(e.getKey(), e.getValue());
		return m;
	}

	/**
	 * Checks that this model was exported by UNet3+ for Fiji from {@code bundle} with the weights
	 * whose SHA-256 is {@code weightsSha256}: same architecture, same preparation, same weights.
	 *
	 * @throws InvalidInputException naming the file and every difference, with what to do
	 */
	public void checkMatches(final ModelBundle bundle, final String weightsSha256) {
		final Map<String, String> found = metadata();
		final String fix = " Delete it (engine=onnxruntime then exports the bundle again) or overwrite it with UNet3+ Export.";
		if (!OnnxMetadata.FORMAT_NAME.equals(found.get(OnnxMetadata.FORMAT)))
			throw new InvalidInputException(file + ": not exported by UNet3+ for Fiji (no '" + OnnxMetadata.FORMAT + "' metadata), so its preparation is unknown."
					+ fix);
		final Map<String, String> expected = OnnxMetadata.of(bundle, weightsSha256);
		if (!Integer.toString(OnnxMetadata.VERSION).equals(found.get(OnnxMetadata.FORMAT_VERSION)))
			throw new InvalidInputException(file + ": metadata version " + found.get(OnnxMetadata.FORMAT_VERSION) + " is not the one this version reads ("
					+ OnnxMetadata.VERSION + ")." + fix);
		final List<String> arch = OnnxMetadata.differences(OnnxMetadata.ARCHITECTURE, found, expected);
		if (!arch.isEmpty())
			throw new InvalidInputException(file + ": exported from another architecture than the bundle's: " + String.join(", ", arch) + "." + fix);
		final List<String> prep = OnnxMetadata.differences(OnnxMetadata.PREPARATION, found, expected);
		if (!prep.isEmpty())
			throw new InvalidInputException(file + ": expects another preparation than the bundle's: " + String.join(", ", prep) + "." + fix);
		if (!weightsSha256.equals(found.get(OnnxMetadata.WEIGHTS_SHA256)))
			throw new InvalidInputException(file + ": exported from other weights than the bundle's " + ModelBundle.WEIGHTS_FILE
					+ " (SHA-256 differs: was the model trained further after the export?)." + fix);
		final List<String> io = new ArrayList<>();
		if (model.getGraph().getInputCount() != 1 || !OnnxExport.INPUT.equals(model.getGraph().getInput(0).getName()))
			io.add("one input '" + OnnxExport.INPUT + "'");
		if (model.getGraph().getOutputCount() != 1 || !OnnxExport.OUTPUT.equals(model.getGraph().getOutput(0).getName()))
			io.add("one output '" + OnnxExport.OUTPUT + "'");
		if (!io.isEmpty()) throw new InvalidInputException(file + ": the graph does not have " + String.join(" and ", io) + "." + fix);
	}
}
