package io.github.unet3p.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One volume of a Spark segmentation and the files it becomes, as qualified Hadoop URIs: the
 * {@link io.github.unet3p.core.infer.SegmentTargets.Job} of a file system the core does not see.
 *
 * @param input the volume file or DICOM series folder
 * @param name the input's name, for messages
 * @param labels the label file
 * @param probabilities the probability maps, empty without {@code probabilities=true}
 */
record VolumeTarget(String input, String name, String labels, List<String> probabilities) implements Serializable {

	/** Every file written, in the order written: probability maps, then the label file. */
	List<String> outputs() {
		final List<String> all = new ArrayList<>(probabilities);
		all.add(labels);
		return all;
	}
}
