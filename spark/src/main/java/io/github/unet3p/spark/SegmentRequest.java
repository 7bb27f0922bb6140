package io.github.unet3p.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;

import io.github.unet3p.core.infer.FolderSegmentation;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.SegmentFilesKeys;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * What {@code UNet3+ Segment Files} is asked on Spark: its keys, the same as the command's, checked
 * on the driver. {@code input} may also be a list file ({@code .txt}, {@code .list}, {@code .lst}:
 * one volume per line, relative lines against the list's folder, blank lines and {@code #} comments
 * skipped); paths are local paths or URIs of any Hadoop file system.
 *
 * @param model the model bundle folder or {@code .zip}
 * @param input the volume, DICOM series folder, folder of volumes or list file
 * @param output the label file (one input) or output folder
 * @param batch slices per model call
 * @param largestComponent keep the largest connected component
 * @param fillHoles fill enclosed cavities
 * @param ttaFlip average with the mirrored slice
 * @param probabilities also write probability maps
 * @param precision the {@code precision} key's value
 * @param engine the {@code engine} key's value
 * @param existing what to do with existing outputs ({@code overwrite}, {@code skip_existing})
 */
record SegmentRequest(String model, String input, String output, int batch, boolean largestComponent, boolean fillHoles, boolean ttaFlip,
		boolean probabilities, String precision, String engine, FolderSegmentation.Existing existing) implements Serializable {

	/** The command's name, as the launcher knows it. */
	static final String COMMAND = "UNet3+ Segment Files";

	private static final Set<String> KEYS = Set.of(SegmentFilesKeys.MODEL, SegmentFilesKeys.INPUT, SegmentFilesKeys.OUTPUT, InferenceKeys.BATCH,
			InferenceKeys.LARGEST_COMPONENT, InferenceKeys.FILL_HOLES, InferenceKeys.TTA_FLIP, InferenceKeys.PROBABILITIES, InferenceKeys.PRECISION,
			SegmentFilesKeys.OVERWRITE, SegmentFilesKeys.SKIP_EXISTING, InferenceKeys.ENGINE);

	/**
	 * The request of the key values {@code keys} ({@code --run}'s option string, parsed).
	 *
	 * @throws InvalidInputException naming an unknown key, a missing required one or a bad value
	 */
	static SegmentRequest parse(final Map<String, String> keys) {
		final Keys k = new Keys(COMMAND, keys, KEYS);
		final SegmentRequest r = new SegmentRequest(k.required(SegmentFilesKeys.MODEL), k.required(SegmentFilesKeys.INPUT), k.required(SegmentFilesKeys.OUTPUT),
				k.integer(InferenceKeys.BATCH, InferenceSettings.DEFAULT_BATCH), k.flag(InferenceKeys.LARGEST_COMPONENT), k.flag(InferenceKeys.FILL_HOLES),
				k.flag(InferenceKeys.TTA_FLIP), k.flag(InferenceKeys.PROBABILITIES), k.text(InferenceKeys.PRECISION, InferenceKeys.PRECISION_FP32),
				k.text(InferenceKeys.ENGINE, InferenceKeys.ENGINE_DEFAULT), FolderSegmentation.Existing.of(k.flag(SegmentFilesKeys.OVERWRITE), k.flag(SegmentFilesKeys.SKIP_EXISTING)));
		r.settings();
		return r;
	}

	/** The inference settings (checked: batch range, precision and engine names). */
	InferenceSettings settings() {
		return InferenceSettings.builder().optBatch(batch).optLargestComponent(largestComponent).optFillHoles(fillHoles).optTtaFlip(ttaFlip)
				.optProbabilities(probabilities).optPrecision(precisionValue()).optEngine(InferenceEngine.fromKey(engine)).build();
	}

	/** The {@code precision} key as a {@link Precision}. */
	Precision precisionValue() {
		return Precision.fromKey(precision);
	}
}
