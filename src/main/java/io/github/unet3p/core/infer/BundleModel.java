package io.github.unet3p.core.infer;

import java.nio.file.Path;

import io.github.unet3p.core.model.ModelBundle;
import io.github.unet3p.core.model.PreparationSpec;
import io.github.unet3p.core.preprocess.PreprocessSettings;

/**
 * A trained model bundle opened for inference on some runtime ({@link ProbabilityModels#open}):
 * a {@link ProbabilityModel} that knows its bundle. Close it to free the runtime's memory.
 */
public interface BundleModel extends ProbabilityModel, AutoCloseable {

	/** The bundle path this model was opened from (a folder or a {@code .zip}). */
	Path folder();

	/** The bundle's description: architecture, preparation, training record. */
	ModelBundle bundle();

	/** The runtime this model runs on. */
	InferenceEngine engine();

	/**
	 * The preparation this model was trained with, as settings for {@link VolumeSegmenter}: the HU
	 * window and slice size of the bundle's spec (its rules — rot90, (k−1, k, k+1), per-slice
	 * min–max — are the only ones this version knows, and {@link ModelBundle#read} refuses others).
	 */
	default PreprocessSettings preparation() {
		final PreparationSpec p = bundle().preparation();
		return PreprocessSettings.builder().optHuMin(p.huMin()).optHuMax(p.huMax()).optSize(p.size()).build();
	}

	@Override
	default int size() {
		return bundle().architecture().size();
	}

	@Override
	default int classes() {
		return bundle().architecture().classes();
	}

	/** Frees the runtime's memory; idempotent. */
	@Override
	void close();
}
