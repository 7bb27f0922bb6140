package io.github.unet3p.core.model.keras;

import io.github.unet3p.core.util.InvalidInputException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the layers with weights of a Keras HDF5 weights file, in any of the layouts of
 * {@link Layout}; layers without weights (activations, pooling, input) are not listed.
 *
 * <p>A layer is named by the group that holds its arrays: in the Keras 2 and legacy layouts the
 * parent of each dataset ({@code conv2d_7/conv2d_7/kernel:0} is layer {@code conv2d_7}, role
 * {@code kernel}), in Keras 3's {@code layers/<name>/vars/<i>}. Keras 3 stores a layer's arrays
 * by index: two arrays are a convolution's kernel and bias, four a BatchNormalization's gamma,
 * beta, moving mean and moving variance (the order Keras creates them in).
 */
public final class KerasWeightsFile {

	/** The layouts a recipe user's weights file can have. */
	public enum Layout {
		/** Keras 2 (the recipe's TF 2.10) {@code save_weights}/{@code ModelCheckpoint} HDF5: names with {@code :0}. */
		KERAS2("Keras 2 HDF5 weights"),
		/** Keras 3 {@code save_weights} to {@code .weights.h5}: {@code layers/<name>/vars/<i>}. */
		KERAS3("Keras 3 .weights.h5"),
		/** Keras 3's legacy HDF5 weights: the Keras 2 layout with names without {@code :0}. */
		LEGACY("Keras 3 legacy HDF5 weights"),
		/** A whole-model {@code .h5}/{@code .hdf5} ({@code model.save}): the weights under {@code model_weights/}. */
		WHOLE_MODEL("whole-model HDF5");

		private final String text;

		Layout(final String text) {
			this.text = text;
		}

		@Override
		public String toString() {
			return text;
		}
	}

	/** What a file holds: its layout and its layers with weights, in the file's order. */
	public record Contents(Layout layout, List<KerasLayer> layers) {}

	private static final byte[] SIGNATURE = { (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };
	private static final String[] CONV_ROLES = { "kernel", "bias" };
	private static final String[] BN_ROLES = { "gamma", "beta", "moving_mean", "moving_variance" };

	private final Path file;

	private KerasWeightsFile(final Path file) {
		this.file = file;
	}

	/**
	 * The layout and layers of {@code file}.
	 *
	 * @throws InvalidInputException naming the file (and the layer, where one is to blame) when it
	 *         is missing, not HDF5, not a Keras weights file, truncated or damaged, holds a layer
	 *         twice or an array that is not floating point
	 */
	public static Contents read(final Path file) {
		if (Files.isDirectory(file)) throw new InvalidInputException(file + ": is a folder; input is the Keras weights file (.hdf5, .h5, .weights.h5)");
		if (!Files.isRegularFile(file)) throw new InvalidInputException(file + ": weights file not found (input)");
		final KerasWeightsFile reader = new KerasWeightsFile(file);
		reader.checkSignature();
		try (HdfFile hdf = new HdfFile(file)) {
			return reader.contents(hdf);
		}
		catch (final InvalidInputException e) {
			throw e;
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + ": not a readable HDF5 file (truncated or damaged: " + e.getMessage() + ")", e);
		}
	}

	private void checkSignature() {
		// NB: HDF5 allows a user block before the superblock: the signature is at 0, 512, 1024, 2048, ...
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] head = in.readNBytes(8);
			long at = 8;
			if (Arrays.equals(head, SIGNATURE)) {
				checkLength(0, in.readNBytes(40));
				return;
			}
			for (long offset = 512; offset < Files.size(file) && offset <= 1 << 20; offset *= 2) {
				in.skipNBytes(offset - at);
				final byte[] b = in.readNBytes(8);
				at = offset + b.length;
				if (Arrays.equals(b, SIGNATURE)) {
					checkLength(offset, in.readNBytes(40));
					return;
				}
			}
		}
		catch (final IOException e) {
			throw new InvalidInputException(file + ": cannot be read (" + e.getMessage() + ")");
		}
		throw new InvalidInputException(file + ": not an HDF5 file (no HDF5 signature); expected a Keras weights file (.hdf5, .h5, .weights.h5)");
	}

	/**
	 * Compares the file's length with the end-of-file address of its superblock ({@code rest}: the
	 * 40 bytes after the signature at {@code offset}): a file cut short is refused as truncated.
	 */
	private void checkLength(final long offset, final byte[] rest) throws IOException {
		if (rest.length < 40) throw new InvalidInputException(file + ": truncated: it ends inside its HDF5 superblock");
		final int version = rest[0];
		// Superblock versions 0/1: sizes of offsets at byte 13, base address at 24, end-of-file at 40 (v1: 28, 44); 2/3: 9, 12, 28.
		final int sizeAt = version < 2 ? 5 : 1;
		final int baseAt = version == 0 ? 16 : version == 1 ? 20 : 4;
		if (rest[sizeAt] != 8 || version > 3) return;
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(rest).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		final long base = b.getLong(baseAt);
		final long end = b.getLong(baseAt + 16);
		final long size = Files.size(file);
		if (base >= 0 && end > 0 && base + end > size)
			throw new InvalidInputException(file + ": truncated: it has " + size + " bytes, its HDF5 superblock says " + (base + end));
	}

	private Contents contents(final HdfFile hdf) {
		final Map<String, KerasLayer> layers = new LinkedHashMap<>();
		if (hdf.getChild("layers") instanceof Group g) {
			keras3(g, layers);
			return new Contents(Layout.KERAS3, List.copyOf(layers.values()));
		}
		final boolean whole = hdf.getChild("model_weights") instanceof Group;
		final Group base = whole ? (Group) hdf.getChild("model_weights") : hdf;
		if (!whole && hdf.getAttribute("layer_names") == null)
			throw new InvalidInputException(file + ": an HDF5 file but not a Keras weights file (no layer_names attribute, layers/ or model_weights/ group)");
		final boolean[] colon = { false };
		for (final Node child : base.getChildren().values())
			if (child instanceof Group g) legacy(g, layers, colon);
		final Layout layout = whole ? Layout.WHOLE_MODEL : colon[0] ? Layout.KERAS2 : Layout.LEGACY;
		return new Contents(layout, List.copyOf(layers.values()));
	}

	/** Keras 3: {@code layers/<name>/vars/<i>}, and nested models' {@code layers/<model>/layers/...}. */
	private void keras3(final Group group, final Map<String, KerasLayer> out) {
		for (final Node node : group.getChildren().values()) {
			if (!(node instanceof Group layer)) continue;
			if (layer.getChild("vars") instanceof Group vars && !vars.getChildren().isEmpty()) {
				final List<Dataset> arrays = new ArrayList<>();
				for (int i = 0; vars.getChild(Integer.toString(i)) instanceof Dataset d; i++)
					arrays.add(d);
				if (arrays.size() != vars.getChildren().size())
					throw new InvalidInputException(file + ": layer " + layer.getName() + ": its vars are not numbered 0.." + (vars.getChildren().size() - 1));
				final String[] roles = arrays.size() == 2 ? CONV_ROLES : arrays.size() == 4 ? BN_ROLES : null;
				final Map<String, KerasArray> byRole = new LinkedHashMap<>();
				for (int i = 0; i < arrays.size(); i++)
					byRole.put(roles == null ? Integer.toString(i) : roles[i], array(layer.getName(), arrays.get(i)));
				add(out, new KerasLayer(layer.getName(), byRole));
			}
			for (final Node sub : layer.getChildren().values())
				if (sub instanceof Group g && !sub.getName().equals("vars")) keras3(g, out);
		}
	}

	/** Keras 2 and legacy: every dataset under a layer's group, named by its parent group. */
	private void legacy(final Group group, final Map<String, KerasLayer> out, final boolean[] colon) {
		final Map<String, KerasArray> byRole = new LinkedHashMap<>();
		for (final Node node : group.getChildren().values()) {
			if (node instanceof Group g) legacy(g, out, colon);
			else if (node instanceof Dataset d) {
				final String name = d.getName();
				if (name.endsWith(":0")) colon[0] = true;
				byRole.put(name.endsWith(":0") ? name.substring(0, name.length() - 2) : name, array(group.getName(), d));
			}
		}
		if (!byRole.isEmpty()) add(out, new KerasLayer(group.getName(), byRole));
	}

	private void add(final Map<String, KerasLayer> out, final KerasLayer layer) {
		if (out.put(layer.name(), layer) != null) throw new InvalidInputException(file + ": layer " + layer.name() + " appears twice");
	}

	private KerasArray array(final String layer, final Dataset d) {
		final Object data;
		try {
			data = d.getDataFlat();
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + ": layer " + layer + ": array " + d.getName() +
				" cannot be read (the file is truncated or damaged: " + e.getMessage() + ")", e);
		}
		final int[] shape = d.getDimensions();
		final float[] values;
		if (data instanceof float[] f) values = f;
		else if (data instanceof double[] dd) {
			values = new float[dd.length];
			for (int i = 0; i < dd.length; i++)
				values[i] = (float) dd[i];
		}
		else throw new InvalidInputException(file + ": layer " + layer + ": array " + d.getName() + " is not floating point (" +
			(data == null ? "empty" : data.getClass().getSimpleName()) + ")");
		long n = 1;
		for (final int s : shape)
			n *= s;
		if (n != values.length)
			throw new InvalidInputException(file + ": layer " + layer + ": array " + d.getName() + " holds " + values.length +
				" values for shape " + KerasArray.shapeText(shape) + " (truncated?)");
		return new KerasArray(shape, values);
	}
}
