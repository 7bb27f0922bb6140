package io.github.unet3p.core.model;

import io.github.unet3p.core.util.InvalidInputException;
import java.util.Objects;

/**
 * The architecture of a UNet 3+ model: variant, backbone, first-stage width, number of output
 * classes and input size. Immutable; built and validated by {@link #builder()}.
 *
 * <p>The input is always {@code size × size × 3} (NCHW in DJL: {@code (N, 3, size, size)}).
 */
public final class ModelSpec {

	/** Input channels: the seed's (k−1, k, k+1) slice triple. */
	public static final int CHANNELS = 3;
	/** Default first-stage width (the seed's). */
	public static final int DEFAULT_FILTERS = 64;
	/** Default number of output classes (the seed's: background, liver). */
	public static final int DEFAULT_CLASSES = 2;
	/** Default input height and width (the seed's). */
	public static final int DEFAULT_SIZE = 320;
	/** Largest accepted {@code filters} (already about 430 million parameters). */
	public static final int MAX_FILTERS = 256;
	/** Largest accepted {@code classes}. */
	public static final int MAX_CLASSES = 1000;
	/** Smallest accepted {@code size}: e5 (size / 16) is then 2 × 2. */
	public static final int MIN_SIZE = 32;
	/** Largest accepted {@code size}. */
	public static final int MAX_SIZE = 2048;

	private final Variant variant;
	private final Backbone backbone;
	private final int filters;
	private final int classes;
	private final int size;

	private ModelSpec(final Variant variant, final Backbone backbone, final int filters, final int classes,
		final int size)
	{
		this.variant = variant;
		this.backbone = backbone;
		this.filters = filters;
		this.classes = classes;
		this.size = size;
	}

	/** A builder with the seed's defaults: {@code unet3plus} variant, {@code vgg19} backbone, 64 filters, 2 classes, 320. */
	public static Builder builder() {
		return new Builder();
	}

	/** A builder holding this spec's values. */
	public Builder toBuilder() {
		return new Builder().optVariant(variant).optBackbone(backbone).optFilters(filters).optClasses(classes).optSize(size);
	}

	/** The variant ({@code variant} key). */
	public Variant variant() {
		return variant;
	}

	/** The encoder ({@code backbone} key). */
	public Backbone backbone() {
		return backbone;
	}

	/** First-stage width and the decoder's concatenation width ({@code filters} key). */
	public int filters() {
		return filters;
	}

	/** Output channels ({@code classes} key): ≥ 2 means softmax, 1 means sigmoid. */
	public int classes() {
		return classes;
	}

	/** Input height = width ({@code size} key), a multiple of 16. */
	public int size() {
		return size;
	}

	/** Width of the decoder stages d4…d1: five concatenated branches of {@code filters} channels. */
	public int decoderWidth() {
		return 5 * filters;
	}

	/** Width of encoder stage {@code stage} (1…5). */
	public int encoderWidth(final int stage) {
		return backbone.width(stage, filters);
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof ModelSpec)) return false;
		final ModelSpec s = (ModelSpec) o;
		return variant == s.variant && backbone == s.backbone && filters == s.filters && classes == s.classes &&
			size == s.size;
	}

	@Override
	public int hashCode() {
		return Objects.hash(variant, backbone, filters, classes, size);
	}

	@Override
	public String toString() {
		return "variant=" + variant + ", backbone=" + backbone + ", filters=" + filters + ", classes=" + classes +
			", size=" + size;
	}

	/** Builds a {@link ModelSpec}; every value is optional and checked by {@link #build()}. */
	public static final class Builder {

		private String variant = Variant.DEFAULT.key();
		private String backbone = Backbone.DEFAULT.key();
		private int filters = DEFAULT_FILTERS;
		private int classes = DEFAULT_CLASSES;
		private int size = DEFAULT_SIZE;

		private Builder() {}

		/** Sets the variant by its key string; unknown names are rejected by {@link #build()}. */
		public Builder optVariant(final String key) {
			this.variant = key;
			return this;
		}

		/** Sets the variant. */
		public Builder optVariant(final Variant v) {
			this.variant = v.key();
			return this;
		}

		/** Sets the backbone by its key string; unknown names are rejected by {@link #build()}. */
		public Builder optBackbone(final String key) {
			this.backbone = key;
			return this;
		}

		/** Sets the backbone. */
		public Builder optBackbone(final Backbone b) {
			this.backbone = b.key();
			return this;
		}

		/** Sets the first-stage width (default 64). */
		public Builder optFilters(final int f) {
			this.filters = f;
			return this;
		}

		/** Sets the number of output classes (default 2). */
		public Builder optClasses(final int c) {
			this.classes = c;
			return this;
		}

		/** Sets the input height = width (default 320). */
		public Builder optSize(final int s) {
			this.size = s;
			return this;
		}

		/**
		 * The validated spec.
		 *
		 * @throws InvalidInputException naming the key when a variant or backbone name is unknown,
		 *         {@code filters} is not in 1…{@value #MAX_FILTERS}, {@code classes} is not in
		 *         1…{@value #MAX_CLASSES}, {@code size} is not a multiple of 16 in
		 *         {@value #MIN_SIZE}…{@value #MAX_SIZE}, or the CGM variant has {@code classes ≠ 1}
		 */
		public ModelSpec build() {
			final Variant v = Variant.fromKey(variant);
			final Backbone b = Backbone.fromKey(backbone);
			if (filters < 1 || filters > MAX_FILTERS)
				throw new InvalidInputException("filters: " + filters + " is out of range; expected a width from 1 to " +
					MAX_FILTERS + " (the recipe uses 64)");
			if (classes < 1 || classes > MAX_CLASSES)
				throw new InvalidInputException("classes: " + classes + " is out of range; expected 1 (sigmoid) or 2 to " +
					MAX_CLASSES + " (softmax)");
			if (size < MIN_SIZE || size > MAX_SIZE || size % 16 != 0)
				throw new InvalidInputException("size: " + size + " is not allowed; expected a multiple of 16 from " +
					MIN_SIZE + " to " + MAX_SIZE + " (the recipe uses 320)");
			if (v.hasClassificationGuide() && classes != 1)
				throw new InvalidInputException("classes: the variant '" + v + "' needs classes=1 (one sigmoid output), got " +
					classes);
			return new ModelSpec(v, b, filters, classes, size);
		}
	}
}
