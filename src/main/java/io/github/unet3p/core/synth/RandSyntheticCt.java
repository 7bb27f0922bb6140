package io.github.unet3p.core.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.core.volume.VolumeGeometry;
import net.imglib2.img.array.ArrayImgs;

/**
 * Generates synthetic abdominal CT cases: a body with subcutaneous fat, muscle wall and ribs, a
 * liver (label 1) whose shape, size and position vary per case, 0–4 hypodense tumours inside it
 * (label 2), a spleen with exactly the liver's HU value (unlabelled: intensity alone cannot find
 * the liver), kidneys with an enhancing cortex, aorta, IVC, vertebrae with discs, psoas and
 * paraspinal muscles, bowel and stomach with fluid and gas, lung bases above the diaphragm,
 * partial-volume edges and spatially
 * correlated Gaussian noise (σ 10–20 HU) inside the reconstruction circle, −1024 outside it.
 *
 * <p>Orientation as LiTS stores it: the seed's rotation {@code out[r, c] = in[c, J−1−r]} shows each
 * axial slice in radiological view (anterior up, the patient's right — the liver — on the image
 * left); k grows toward the head. The affine says the same thing (see {@link #geometry}).
 *
 * <p>Deterministic: the voxels depend only on the seed, the case index and the grid (size, slices,
 * spacing), bit for bit on every JVM (strict math, no threads). Case {@code n} is the same whatever
 * {@code count} is.
 */
public final class RandSyntheticCt {

	private RandSyntheticCt() {}

	/**
	 * Generates case {@code caseIndex} of the dataset the settings describe.
	 *
	 * @param caseIndex 0 or more; usually below {@code settings.count()}
	 */
	public static SyntheticCase generate(final SyntheticCtSettings settings, final int caseIndex) {
		return generate(settings, caseIndex, null);
	}

	/**
	 * The voxel geometry of every case: spacing (s, s, t) and the affine diag(−s, s, t) with the
	 * grid centred on the world origin in-plane — i runs toward the patient's left, j toward
	 * anterior, k toward the head (RAS+ world), which is what the stored orientation shows.
	 *
	 * <p>NB: LiTS files often carry diag(−s, −s, t) whatever their voxels show; nothing in this
	 * project reads the affine except to copy it to outputs, so we write the true one.
	 */
	public static VolumeGeometry geometry(final SyntheticCtSettings settings) {
		final int n = settings.size(), k = settings.slices();
		final double s = settings.inPlaneSpacing(), t = settings.sliceThickness();
		final double[][] affine = {
			{ -s, 0, 0, s * (n - 1) / 2.0 },
			{ 0, s, 0, -s * (n - 1) / 2.0 },
			{ 0, 0, t, -t * (k - 1) / 2.0 },
			{ 0, 0, 0, 1 } };
		return new VolumeGeometry(new double[] { s, s, t }, affine);
	}

	/** The seed of case {@code caseIndex}: the dataset seed and the index, well mixed. */
	static long caseSeed(final long seed, final int caseIndex) {
		long z = seed + 0x9E3779B97F4A7C15L * (caseIndex + 1L);
		z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
		z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
		return z ^ (z >>> 33);
	}

	/**
	 * Generates a case and, if {@code tissues} is not null, fills it with each voxel's tissue
	 * ({@link Tissue#ordinal()}, or {@link Tissue#MIXED} at partial-volume edges) in stored order.
	 */
	static SyntheticCase generate(final SyntheticCtSettings settings, final int caseIndex, final byte[] tissues) {
		if (caseIndex < 0) throw new IllegalArgumentException("case index must be 0 or more, not " + caseIndex);
		final int n = settings.size(), depth = settings.slices();
		final double s = settings.inPlaneSpacing(), t = settings.sliceThickness();
		final SplittableRandom rng = new SplittableRandom(caseSeed(settings.seed(), caseIndex));
		final SplittableRandom noiseRng = rng.split();
		final Anatomy anatomy = Anatomy.random(rng, depth * t);

		final int plane = n * n;
		final short[] ct = new short[plane * depth];
		final byte[] labels = new byte[plane * depth];
		final double[] value = new double[plane], liver = new double[plane], tumour = new double[plane], noise = new double[plane];
		final byte[] tissue = new byte[plane];
		final double[] pixel = new double[n];
		for (int c = 0; c < n; c++)
			pixel[c] = (c + 0.5 - n / 2.0) * s;
		// NB: as on a scanner, only the circle inscribed in the slice is reconstructed; the corners
		// hold a constant padding value (LiTS volumes commonly have -1024 there).
		final double fov = n * s / 2;
		for (int k = 0; k < depth; k++) {
			final double z = anatomy.scanCentreZ + (k + 0.5 - depth / 2.0) * t;
			Arrays.fill(value, Tissue.AIR.minHu);
			Arrays.fill(liver, 0);
			Arrays.fill(tumour, 0);
			Arrays.fill(tissue, (byte) Tissue.AIR.ordinal());
			for (final Layer layer : anatomy.layers)
				paint(layer, z, n, s, pixel, value, liver, tumour, tissue);
			correlatedNoise(noiseRng, n, anatomy.noiseSigma, noise);
			// Display (r, c) is stored at i = c, j = n-1-r, so that rot90 shows it upright.
			for (int r = 0; r < n; r++) {
				final int base = k * plane + (n - 1 - r) * n;
				for (int c = 0; c < n; c++) {
					final int p = r * n + c;
					if (pixel[r] * pixel[r] + pixel[c] * pixel[c] > fov * fov) {
						ct[base + c] = (short) Tissue.OUTSIDE_FOV.minHu;
						if (tissues != null) tissues[base + c] = (byte) Tissue.OUTSIDE_FOV.ordinal();
						continue;
					}
					final long v = Math.round(value[p] + noise[p]);
					ct[base + c] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
					labels[base + c] = (byte) (tumour[p] >= 0.5 ? 2 : liver[p] + tumour[p] >= 0.5 ? 1 : 0);
					if (tissues != null) tissues[base + c] = tissue[p];
				}
			}
		}
		final VolumeGeometry geometry = geometry(settings);
		final long[] dims = { n, n, depth };
		return new SyntheticCase(Volume.of(ArrayImgs.shorts(ct, dims), geometry), Volume.of(ArrayImgs.unsignedBytes(labels, dims), geometry));
	}

	/**
	 * Paints one layer over slice z: value += α·(hu − value), where α ∈ [0, 1] is the fraction of the
	 * pixel the tissue covers (a linear ramp across the surface, {@code edge} voxels wide).
	 */
	private static void paint(final Layer layer, final double z, final int n, final double s, final double[] pixel, final double[] value,
			final double[] liver, final double[] tumour, final byte[] tissue) {
		final Shape shape = layer.shape;
		final double width = layer.edge * s, half = width / 2;
		if (z < shape.z0 - half || z > shape.z1 + half) return;
		final int c0 = index(shape.x0 - half, n, s, 0), c1 = index(shape.x1 + half, n, s, 1);
		final int r0 = index(shape.y0 - half, n, s, 0), r1 = index(shape.y1 + half, n, s, 1);
		final Sdf sdf = shape.sdf;
		final double hu = layer.hu;
		final Tissue kind = layer.tissue;
		final byte code = (byte) kind.ordinal();
		for (int r = r0; r < r1; r++) {
			final double y = pixel[r];
			for (int c = c0; c < c1; c++) {
				final double a = 0.5 - sdf.at(pixel[c], y, z) / width;
				if (a <= 0) continue;
				final double alpha = Math.min(1, a);
				final int p = r * n + c;
				value[p] += alpha * (hu - value[p]);
				tissue[p] = alpha >= 0.999 ? code : Tissue.MIXED;
				switch (kind) {
				case LIVER:
					liver[p] += alpha * (1 - liver[p]);
					tumour[p] *= 1 - alpha;
					break;
				case TUMOUR:
					tumour[p] += alpha * (1 - tumour[p]);
					liver[p] *= 1 - alpha;
					break;
				case HEPATIC_VESSEL:
					break;
				default:
					liver[p] *= 1 - alpha;
					tumour[p] *= 1 - alpha;
				}
			}
		}
	}

	/** The first (round = 0) or one-past-last (round = 1) pixel index at mm coordinate v, clamped. */
	private static int index(final double v, final int n, final double s, final int round) {
		if (Double.isInfinite(v)) return v < 0 ? 0 : n;
		final double p = v / s + n / 2.0 - 0.5;
		final double i = round == 0 ? Math.ceil(p) : Math.floor(p) + 1;
		return (int) Math.max(0, Math.min(n, i));
	}

	/**
	 * Fills {@code out} (n × n) with Gaussian noise of standard deviation sigma, smoothed by the
	 * separable kernel [1 2 1]/4 so that neighbours correlate (0.67 at one pixel) as in CT.
	 */
	private static void correlatedNoise(final SplittableRandom rng, final int n, final double sigma, final double[] out) {
		final int m = n + 2;
		final double[] white = new double[m * m];
		// NB: [1 2 1]/4 keeps 6/16 of the variance per axis, (6/16)² in 2-D: the deviation shrinks by 6/16.
		final double scale = sigma * 16 / 6;
		for (int p = 0; p < white.length; p += 2) {
			double u, v, q;
			do {
				u = 2 * rng.nextDouble() - 1;
				v = 2 * rng.nextDouble() - 1;
				q = u * u + v * v;
			}
			while (q >= 1 || q == 0);
			final double f = scale * Math.sqrt(-2 * StrictMath.log(q) / q);
			white[p] = u * f;
			if (p + 1 < white.length) white[p + 1] = v * f;
		}
		final double[] rows = new double[m * n];
		for (int y = 0; y < m; y++)
			for (int x = 0; x < n; x++) {
				final int q = y * m + x;
				rows[y * n + x] = 0.25 * (white[q] + 2 * white[q + 1] + white[q + 2]);
			}
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				out[y * n + x] = 0.25 * (rows[y * n + x] + 2 * rows[(y + 1) * n + x] + rows[(y + 2) * n + x]);
	}
}
