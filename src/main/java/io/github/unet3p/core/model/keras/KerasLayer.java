package io.github.unet3p.core.model.keras;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Keras layer with weights as read from a file: its name (Keras' {@code conv2d_7},
 * {@code batch_normalization_3}, {@code block2_conv1}, ...) and its arrays by role
 * ({@code kernel}, {@code bias}, {@code gamma}, {@code beta}, {@code moving_mean},
 * {@code moving_variance}).
 *
 * @param name the layer's name in the file
 * @param arrays the arrays by role, in the file's order
 */
public record KerasLayer(String name, Map<String, KerasArray> arrays) {

	private static final Pattern NUMBERED = Pattern.compile("(conv2d|batch_normalization)(?:_(\\d{1,9}))?");
	private static final Pattern VGG = Pattern.compile("block([1-5])_conv([1-4])");

	/** A layer; the map is copied. */
	public KerasLayer {
		arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
	}

	/** Whether this is one of Keras' automatically named convolutions ({@code conv2d}, {@code conv2d_N}). */
	public boolean isConv() {
		final Matcher m = NUMBERED.matcher(name);
		return m.matches() && m.group(1).equals("conv2d");
	}

	/** Whether this is one of Keras' automatically named BatchNormalizations. */
	public boolean isBatchNorm() {
		final Matcher m = NUMBERED.matcher(name);
		return m.matches() && m.group(1).equals("batch_normalization");
	}

	/** Whether this is a Keras VGG convolution ({@code blockB_convC}). */
	public boolean isVgg() {
		return VGG.matcher(name).matches();
	}

	/**
	 * The creation number Keras gave an automatically named layer: 0 for {@code conv2d}, N for
	 * {@code conv2d_N}. NB: the order of these numbers is the order in which the layers were
	 * created; their values depend on what the session created before, and sorting the names as
	 * strings (as h5py lists them) puts {@code conv2d_10} before {@code conv2d_2}.
	 */
	public long number() {
		final Matcher m = NUMBERED.matcher(name);
		if (!m.matches()) throw new IllegalStateException(name + " is not an automatically named layer");
		return m.group(2) == null ? 0 : Long.parseLong(m.group(2));
	}
}
