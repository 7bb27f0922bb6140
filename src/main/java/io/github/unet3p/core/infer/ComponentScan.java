package io.github.unet3p.core.infer;

import java.util.Arrays;

/**
 * Two-pass union-find labelling of the member voxels of a 3-D mask, streamed plane by plane so
 * that it never holds a label volume.
 *
 * <p>Pass 1 ({@link #ComponentScan}) gives each member voxel a provisional label: the label of its
 * first already-visited neighbour, or a new one; any other neighbour label is merged with it in a
 * union-find forest, and the sizes and border contacts are counted per provisional label. The
 * roots are then numbered 1, 2, … in order of their first voxel (scan order: i fastest, then j,
 * then k). Pass 2 ({@link #relabel}) repeats exactly the same provisional labelling — it depends
 * only on the mask, not on the forest — and hands each plane's final labels to a sink.
 *
 * <p>NB: only two planes of provisional labels are ever held, plus the forest (one entry per
 * provisional label); nothing recurses, so a 512×512×900 mask costs a few megabytes.
 */
final class ComponentScan {

	/** Receives the final labels of one plane (0 = not a member), indexed {@code i + I·j}. */
	interface PlaneSink {

		void accept(int k, int[] labels);
	}

	private final MaskPlanes<?> planes;
	private final boolean zeros;
	private final boolean twentySix;

	private int[] parent = new int[1024];
	private long[] count = new long[1024];
	private boolean[] border = new boolean[1024];
	private int next;

	private final int components;
	private final int[] finalOf;
	private final long[] sizes;
	private final boolean[] touchesBorder;

	/**
	 * Runs pass 1.
	 *
	 * @param planes the mask
	 * @param zeros whether the members are the zero voxels (background) instead of the non-zero ones
	 * @param connectivity which neighbours connect
	 */
	ComponentScan(final MaskPlanes<?> planes, final boolean zeros, final Connectivity connectivity) {
		this.planes = planes;
		this.zeros = zeros;
		this.twentySix = connectivity == Connectivity.TWENTY_SIX;
		scan(true, null);
		finalOf = new int[next];
		int n = 0;
		for (int p = 1; p < next; p++) {
			final int r = find(p);
			finalOf[p] = r == p ? ++n : finalOf[r];
		}
		components = n;
		sizes = new long[n + 1];
		touchesBorder = new boolean[n + 1];
		for (int p = 1; p < next; p++) {
			sizes[finalOf[p]] += count[p];
			touchesBorder[finalOf[p]] |= border[p];
		}
		parent = null;
		count = null;
		border = null;
	}

	/** Number of components. */
	int components() {
		return components;
	}

	/** Voxels of each component, index = label (index 0 is unused and 0). */
	long[] sizes() {
		return sizes.clone();
	}

	/** Whether component {@code label} has a voxel on a face of the volume. */
	boolean touchesBorder(final int label) {
		return touchesBorder[label];
	}

	/** Runs pass 2: hands the final labels of every plane, in order, to {@code sink}. */
	void relabel(final PlaneSink sink) {
		scan(false, sink);
	}

	private void scan(final boolean first, final PlaneSink sink) {
		final int sizeI = planes.sizeI, sizeJ = planes.sizeJ, sizeK = planes.sizeK, area = planes.area();
		final byte[] member = new byte[area];
		int[] prev = new int[area], cur = new int[area];
		final int[] out = first ? null : new int[area];
		next = 1;
		for (int k = 0; k < sizeK; k++) {
			planes.members(k, zeros, member);
			final boolean borderPlane = k == 0 || k == sizeK - 1;
			for (int j = 0, idx = 0; j < sizeJ; j++) {
				for (int i = 0; i < sizeI; i++, idx++) {
					if (member[idx] == 0) {
						cur[idx] = 0;
						continue;
					}
					int lab = 0;
					if (i > 0) lab = cur[idx - 1];
					if (j > 0) {
						if (twentySix && i > 0) lab = merge(lab, cur[idx - sizeI - 1], first);
						lab = merge(lab, cur[idx - sizeI], first);
						if (twentySix && i < sizeI - 1) lab = merge(lab, cur[idx - sizeI + 1], first);
					}
					if (k > 0) {
						if (twentySix) {
							for (int dj = -1; dj <= 1; dj++) {
								final int jj = j + dj;
								if (jj < 0 || jj >= sizeJ) continue;
								for (int di = -1; di <= 1; di++) {
									final int ii = i + di;
									if (ii < 0 || ii >= sizeI) continue;
									lab = merge(lab, prev[ii + sizeI * jj], first);
								}
							}
						}
						else lab = merge(lab, prev[idx], first);
					}
					if (lab == 0) lab = newLabel(first);
					cur[idx] = lab;
					if (first) {
						count[lab]++;
						if (borderPlane || i == 0 || j == 0 || i == sizeI - 1 || j == sizeJ - 1) border[lab] = true;
					}
				}
			}
			if (!first) {
				for (int idx = 0; idx < area; idx++)
					out[idx] = finalOf[cur[idx]];
				sink.accept(k, out);
			}
			final int[] t = prev;
			prev = cur;
			cur = t;
		}
	}

	private int merge(final int lab, final int other, final boolean first) {
		if (other == 0) return lab;
		if (lab == 0) return other;
		if (first && other != lab) union(lab, other);
		return lab;
	}

	private int newLabel(final boolean first) {
		if (next == Integer.MAX_VALUE) throw new IllegalStateException("more than " + Integer.MAX_VALUE + " provisional labels");
		final int lab = next++;
		if (first) {
			if (lab == parent.length) {
				final int n = (int) Math.min(Integer.MAX_VALUE - 8L, 2L * parent.length);
				parent = Arrays.copyOf(parent, n);
				count = Arrays.copyOf(count, n);
				border = Arrays.copyOf(border, n);
			}
			parent[lab] = lab;
		}
		return lab;
	}

	private int find(int p) {
		while (parent[p] != p) {
			parent[p] = parent[parent[p]];
			p = parent[p];
		}
		return p;
	}

	/** Joins two trees under the smaller root, so a root is always its tree's first label. */
	private void union(final int a, final int b) {
		final int ra = find(a), rb = find(b);
		if (ra < rb) parent[rb] = ra;
		else if (rb < ra) parent[ra] = rb;
	}
}
