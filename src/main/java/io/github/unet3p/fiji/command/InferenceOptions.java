package io.github.unet3p.fiji.command;

import io.github.unet3p.core.infer.InferenceSettings;

/**
 * The inference options that {@code UNet3+ Segment} and {@code UNet3+ Segment Files} share. Each
 * command declares them as parameters named by {@link io.github.unet3p.core.infer.InferenceKeys}
 * (a SciJava key is its field name); this turns them into settings.
 */
final class InferenceOptions {

	private InferenceOptions() {}

	/** The settings for these option values; an out-of-range batch is refused by name. */
	static InferenceSettings settings(final int batch, final boolean largestComponent, final boolean fillHoles, final boolean ttaFlip,
			final boolean probabilities) {
		return InferenceSettings.builder().optBatch(batch).optLargestComponent(largestComponent).optFillHoles(fillHoles).optTtaFlip(ttaFlip)
				.optProbabilities(probabilities).build();
	}
}
