package io.github.unet3p.core.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A Keras-style summary of a UNet 3+ model: one row per stage with its output shape and
 * parameter counts, and the totals {@code Trainable params}, {@code Non-trainable params}
 * (BatchNorm moving mean and variance) and {@code Total params}.
 *
 * <p>Counts are read from the DJL block's actual parameters. In {@link Mode#INFERENCE} the
 * deep-supervision heads are left out, as the seed's Keras inference model has none; the CGM
 * branch is counted in both modes because d1 depends on it.
 *
 * <p>At 320×320×3, 64 filters (classes 2, or 1 for the CGM variant; counts do not depend on the size):
 * <pre>
 * variant                backbone   mode       trainable   non-trainable  total
 * unet3plus              unet3plus  both       26,974,658  13,056         26,987,714
 * unet3plus              vgg16      both       21,658,562   5,120         21,663,682
 * unet3plus              vgg19      both       26,968,258   5,120         26,973,378
 * unet3plus_deepsup      unet3plus  inference  26,974,658  13,056         26,987,714
 * unet3plus_deepsup      unet3plus  training   27,010,378  13,056         27,023,434
 * unet3plus_deepsup      vgg16      inference  21,658,562   5,120         21,663,682
 * unet3plus_deepsup      vgg16      training   21,685,066   5,120         21,690,186
 * unet3plus_deepsup      vgg19      inference  26,968,258   5,120         26,973,378
 * unet3plus_deepsup      vgg19      training   26,994,762   5,120         26,999,882
 * unet3plus_deepsup_cgm  unet3plus  inference  26,973,827  13,056         26,986,883
 * unet3plus_deepsup_cgm  unet3plus  training   26,991,687  13,056         27,004,743
 * unet3plus_deepsup_cgm  vgg16      inference  21,656,707   5,120         21,661,827
 * unet3plus_deepsup_cgm  vgg16      training   21,669,959   5,120         21,675,079
 * unet3plus_deepsup_cgm  vgg19      inference  26,966,403   5,120         26,971,523
 * unet3plus_deepsup_cgm  vgg19      training   26,979,655   5,120         26,984,775
 * </pre>
 */
public final class ModelSummary {

	private final ModelSpec spec;
	private final Mode mode;
	private final List<Row> rows;

	private ModelSummary(final ModelSpec spec, final Mode mode, final List<Row> rows) {
		this.spec = spec;
		this.mode = mode;
		this.rows = Collections.unmodifiableList(rows);
	}

	/**
	 * Summarises the model of {@code spec} as the given mode uses it. Allocates the parameters
	 * (zeros) on a private manager, which is closed before returning.
	 */
	public static ModelSummary of(final ModelSpec spec, final Mode mode) {
		final UNet3PlusNet net = UNet3Plus.builder().setSpec(spec).build();
		try (NDManager manager = TorchEngine.get().newBaseManager()) {
			// Parameter shapes do not depend on the input size: allocate for the smallest input.
			for (final Parameter p : net.block().getParameters().values()) p.setInitializer(Initializer.ZEROS);
			net.block().initialize(manager, DataType.FLOAT32,
				new Shape(1, ModelSpec.CHANNELS, ModelSpec.MIN_SIZE, ModelSpec.MIN_SIZE));
			final List<Row> rows = new ArrayList<>();
			for (final UNet3PlusBlock.Part part : net.parts()) {
				if (part.trainingOnly() && mode == Mode.INFERENCE) continue;
				long trainable = 0;
				long fixed = 0;
				for (final Parameter p : part.block().getParameters().values()) {
					if (p.requiresGradient()) trainable += p.getShape().size();
					else fixed += p.getShape().size();
				}
				rows.add(new Row(part.name(), part.output(), trainable, fixed));
			}
			return new ModelSummary(spec, mode, rows);
		}
	}

	/** The summarised spec. */
	public ModelSpec spec() {
		return spec;
	}

	/** The summarised mode. */
	public Mode mode() {
		return mode;
	}

	/** The stages in forward order. */
	public List<Row> rows() {
		return rows;
	}

	/** Parameters with gradients (Keras' "Trainable params"). */
	public long trainable() {
		return rows.stream().mapToLong(Row::trainable).sum();
	}

	/** BatchNorm moving means and variances (Keras' "Non-trainable params"). */
	public long nonTrainable() {
		return rows.stream().mapToLong(Row::nonTrainable).sum();
	}

	/** All parameters. */
	public long total() {
		return trainable() + nonTrainable();
	}

	/**
	 * The printable table followed by the three Keras lines, e.g. {@code Trainable params: 26,974,658}.
	 */
	public String format() {
		final StringBuilder sb = new StringBuilder();
		sb.append(String.format(Locale.ROOT, "Model: UNet3+ (%s, %s mode)%n", spec, mode));
		final String line = "-".repeat(78) + System.lineSeparator();
		sb.append(line);
		sb.append(String.format(Locale.ROOT, "%-18s %-26s %15s %15s%n", "Stage", "Output shape", "Trainable", "Non-trainable"));
		sb.append(line);
		for (final Row r : rows)
			sb.append(String.format(Locale.ROOT, "%-18s %-26s %,15d %,15d%n", r.name(), r.output(), r.trainable(), r.nonTrainable()));
		sb.append(line);
		sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total()));
		sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable()));
		sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", nonTrainable()));
		return sb.toString();
	}

	@Override
	public String toString() {
		return format();
	}

	/** One stage: its name, output shape (N = 1) and parameter counts. */
	public record Row(String name, Shape output, long trainable, long nonTrainable) {}
}
