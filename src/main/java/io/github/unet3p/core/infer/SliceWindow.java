package io.github.unet3p.core.infer;

import java.util.HashMap;
import java.util.Map;

/**
 * The prepared uint8 planes a run of consecutive slices needs for its (k−1, k, k+1) channel stack,
 * each prepared once: planes are kept while a later slice may still read them and dropped by
 * {@link #forgetBelow}.
 */
final class SliceWindow {

	/** Prepares the uint8 plane (size × size, row-major) of one slice. */
	@FunctionalInterface
	interface PlaneSource {

		byte[] plane(int k);
	}

	private final PlaneSource source;
	private final Map<Integer, byte[]> planes = new HashMap<>();

	SliceWindow(final PlaneSource source) {
		this.source = source;
	}

	/** The prepared plane of slice {@code k}, prepared now if not held. */
	byte[] plane(final int k) {
		return planes.computeIfAbsent(k, source::plane);
	}

	/** Drops every plane of a slice before {@code k}. */
	void forgetBelow(final int k) {
		planes.keySet().removeIf(s -> s < k);
	}

	/** Number of planes held. */
	int held() {
		return planes.size();
	}
}
