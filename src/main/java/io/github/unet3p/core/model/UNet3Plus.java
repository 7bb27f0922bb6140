package io.github.unet3p.core.model;

import java.util.Objects;

/**
 * Builds UNet 3+ networks as DJL blocks, following the seed's Keras definitions exactly
 * (see {@link UNet3PlusNet} for the forward contract and {@link ModelSummary} for the counts).
 */
public final class UNet3Plus {

	private ModelSpec spec;

	private UNet3Plus() {}

	/** A builder; {@link #setSpec(ModelSpec)} is required. */
	public static UNet3Plus builder() {
		return new UNet3Plus();
	}

	/** Sets the architecture (required). */
	public UNet3Plus setSpec(final ModelSpec s) {
		this.spec = Objects.requireNonNull(s, "spec");
		return this;
	}

	/**
	 * The network for the spec, with uninitialised parameters (call
	 * {@link UNet3PlusNet#initialize(ai.djl.ndarray.NDManager, long)} before use).
	 *
	 * @throws IllegalStateException if no spec was set
	 */
	public UNet3PlusNet build() {
		if (spec == null) throw new IllegalStateException("UNet3Plus.builder(): setSpec(...) is required");
		return new UNet3PlusNet(spec, new UNet3PlusBlock(spec));
	}
}
