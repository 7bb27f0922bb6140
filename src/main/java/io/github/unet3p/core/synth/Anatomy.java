package io.github.unet3p.core.synth;

import static io.github.unet3p.core.synth.Shape.above;
import static io.github.unet3p.core.synth.Shape.capsule;
import static io.github.unet3p.core.synth.Shape.cylinder;
import static io.github.unet3p.core.synth.Shape.ellipsoid;
import static io.github.unet3p.core.synth.Shape.slab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One random abdomen: the tissues to paint, bottom to top, in millimetre coordinates (see
 * {@link Shape}), the noise level and where the scan sits along z.
 *
 * <p>NB: every size and position is drawn relative to the body and its abdominal cavity, so organs
 * stay inside the body whatever the draw; the liver, spleen and bowel are clipped to the cavity.
 */
final class Anatomy {

	/** Painting order: later layers cover earlier ones. */
	final List<Layer> layers;
	/** Standard deviation of the (correlated) noise in HU. */
	final double noiseSigma;
	/** z of the scan's centre, mm (0 = the liver's centre height). */
	final double scanCentreZ;

	private Anatomy(final List<Layer> layers, final double noiseSigma, final double scanCentreZ) {
		this.layers = Collections.unmodifiableList(layers);
		this.noiseSigma = noiseSigma;
		this.scanCentreZ = scanCentreZ;
	}

	/** Draws an abdomen for a scan {@code scanLength} mm long. */
	static Anatomy random(final SplittableRandom rng, final double scanLength) {
		return new Builder(rng).build(scanLength);
	}

	private static final class Builder {

		private final SplittableRandom rng;
		private final double[] hu = new double[Tissue.values().length];
		private final List<Layer> layers = new ArrayList<>();

		Builder(final SplittableRandom rng) {
			this.rng = rng;
			for (final Tissue t : Tissue.values())
				hu[t.ordinal()] = u(t.minHu, t.maxHu);
			hu[Tissue.SPLEEN.ordinal()] = hu[Tissue.LIVER.ordinal()];
		}

		private double u(final double lo, final double hi) {
			return lo + (hi - lo) * rng.nextDouble();
		}

		private void paint(final Tissue t, final Shape s) {
			layers.add(new Layer(t, hu[t.ordinal()], s, 1));
		}

		/** Paints a hollow organ: a wall, fluid inside, gas anterior of a level (an air-fluid level). */
		private void hollow(final Shape outer, final Shape inner, final Shape clip, final double gasLevel) {
			paint(Tissue.BOWEL_WALL, outer.and(clip));
			paint(Tissue.BOWEL_FLUID, inner.and(clip));
			if (gasLevel > Double.NEGATIVE_INFINITY) paint(Tissue.GAS, inner.and(clip).and(above(gasLevel)));
		}

		Anatomy build(final double scanLength) {
			final double noise = u(10, 20);

			// Body wall: skin/fat, muscle, abdominal cavity; the back is flattened by the table.
			final double a0 = u(150, 175), b0 = u(105, 125), cx = u(-6, 6), cy = u(-8, 4);
			final double fat = u(10, 28), muscle = u(8, 14);
			final double back = cy + 0.9 * b0;
			final double a1 = a0 - fat, b1 = b0 - fat, a2 = a1 - muscle, b2 = b1 - muscle;
			final Shape cavity = cylinder(cx, cy, a2, b2).and(above(back - fat - muscle));
			paint(Tissue.SUBCUTANEOUS_FAT, cylinder(cx, cy, a0, b0).and(above(back)));
			paint(Tissue.MUSCLE, cylinder(cx, cy, a1, b1).and(above(back - fat)));
			paint(Tissue.VISCERAL_FAT, cavity);

			// Spine frame: vertebral body centre (xs, ys), radius rs; the canal behind it.
			final double rs = u(16, 20), xs = cx, ys = cy + 0.27 * b0 + u(-4, 4);
			final double rc = u(6.5, 8.5), yc = ys + rs + rc + 2;
			for (final int side : new int[] { -1, 1 })
				paint(Tissue.MUSCLE, ellipsoid(xs + side * (rs + 16), yc + 6, 0, u(22, 27), u(22, 28), Double.POSITIVE_INFINITY, side * u(0, 0.3)));

			bowel(cx, cy, a2, b2, cavity);
			final double ra = u(9, 13), xa = xs + u(3, 10), ya = ys - rs - ra - u(1, 4);
			final double xi = xs - rs - u(6, 10), yi = ys - rs - u(2, 8);
			final Shape[][] kidneys = kidneys(xs, ys, rs);
			final Shape liver = liver(cx, cy, a2, b2, cavity, xs, ys, rs, xa, ya, ra, kidneys);
			lungs(cx, cy, a2, b2, cavity, liver);
			paint(Tissue.LIVER, liver);
			vessels(liver, cx, cy, a2, b2, xi, yi);
			// The scan holds the whole liver with a random margin at each end when it is long enough.
			double top = Double.NEGATIVE_INFINITY, bottom = Double.POSITIVE_INFINITY;
			for (final Shape b : liverBlobs) {
				top = Math.max(top, b.z1);
				bottom = Math.min(bottom, b.z0);
			}
			final double slack = Math.max(0, scanLength - (top - bottom));
			final double scanCentre = (top + bottom) / 2 + u(-0.35, 0.35) * slack;
			final double zLo = scanCentre - scanLength / 2 - 20, zHi = scanCentre + scanLength / 2 + 20;
			tumours(liver);
			spleen(cx, cy, a2, b2, cavity);
			for (final Shape[] k : kidneys) {
				paint(Tissue.VISCERAL_FAT, k[0]);
				paint(Tissue.KIDNEY_CORTEX, k[1]);
				paint(Tissue.KIDNEY_MEDULLA, k[2]);
			}
			for (final int side : new int[] { -1, 1 })
				paint(Tissue.MUSCLE, ellipsoid(xs + side * (rs + 14), ys + 2, -170, u(15, 20), u(14, 18), 190, 0));
			paint(Tissue.IVC, ellipsoid(xi, yi, 0, u(11, 15), u(8, 11), Double.POSITIVE_INFINITY, u(-0.3, 0.3)));
			paint(Tissue.AORTA, cylinder(xa, ya, ra, ra));
			spine(xs, ys, rs, yc, rc, back - fat - 4, zLo, zHi);
			ribs(cx, cy, (a1 + a2) / 2, (b1 + b2) / 2, Math.min(muscle / 2 + 1, 6), zLo, zHi);
			return new Anatomy(layers, noise, scanCentre);
		}

		/** Small-bowel loops, the colon and the stomach, each with fluid and often gas. */
		private void bowel(final double cx, final double cy, final double a2, final double b2, final Shape cavity) {
			final Shape clip = cavity.shrink(1);
			final int loops = 14 + rng.nextInt(11);
			for (int n = 0; n < loops; n++) {
				double x, y;
				do {
					x = u(-0.85, 0.85);
					y = u(-0.85, 0.55);
				}
				while (x * x + y * y > 0.7);
				final double px = cx + x * a2, py = cy + y * b2, pz = u(-130, 20);
				final double a = u(10, 22), b = u(10, 22), c = u(12, 35), th = u(0, Math.PI), wall = u(2, 3.5);
				final double kind = rng.nextDouble();
				final double level = kind < 0.45 ? Double.NEGATIVE_INFINITY : kind < 0.65 ? Double.POSITIVE_INFINITY : py + u(-0.5, 0.5) * b;
				hollow(ellipsoid(px, py, pz, a, b, c, th), ellipsoid(px, py, pz, a - wall, b - wall, c - wall, th), clip, level);
			}
			// Colon: ascending (patient right), descending (left), transverse (anterior); mostly gas.
			for (final int side : new int[] { -1, 1 }) {
				final double px = cx + side * u(0.66, 0.74) * a2, py = cy + u(-0.05, 0.2) * b2, r = u(16, 22), pz = side < 0 ? -110 : -80;
				hollow(ellipsoid(px, py, pz, r, r + 2, 90, 0), ellipsoid(px, py, pz, r - 3, r - 1, 87, 0), clip, py + u(-0.2, 0.6) * r);
			}
			final double ty = cy - u(0.5, 0.7) * b2, tz = u(-60, -30), tr = u(15, 20);
			hollow(ellipsoid(cx, ty, tz, 0.65 * a2, tr, tr + 3, u(-0.15, 0.15)), ellipsoid(cx, ty, tz, 0.65 * a2 - 3, tr - 3, tr, 0), clip,
				ty + u(-0.3, 0.5) * tr);
			// Stomach: upper left, anterior, fluid with a gas cap.
			final double sg = u(0.8, 1.2), sx = cx + 0.35 * a2, sy = cy - 0.3 * b2, sz = u(20, 40);
			final double sa = 0.28 * a2 * sg, sb = 0.33 * b2 * sg, sc = 45 * sg, th = u(-0.4, 0.1);
			hollow(ellipsoid(sx, sy, sz, sa, sb, sc, th), ellipsoid(sx, sy, sz, sa - 4, sb - 4, sc - 4, th), clip, sy - sb * u(0.3, 0.8));
		}

		private Shape[] liverBlobs;

		/** The liver: a smooth union of ellipsoids, its surface rippled, kept off the spine and aorta. */
		private Shape liver(final double cx, final double cy, final double a2, final double b2, final Shape cavity, final double xs,
				final double ys, final double rs, final double xa, final double ya, final double ra, final Shape[][] kidneys) {
			final double g = u(0.88, 1.12), gz = u(0.75, 1.0), left = u(0.6, 1.2);
			final List<Shape> blobs = new ArrayList<>();
			blobs.add(ellipsoid(cx - 0.42 * a2 + u(-6, 6), cy - 0.05 * b2 + u(-6, 6), u(-8, 8), 0.46 * a2 * g * j(), 0.82 * b2 * g * j(),
				75 * gz * j(), u(-0.25, 0.25)));
			blobs.add(ellipsoid(cx + 0.1 * a2 + u(-8, 8), cy - 0.55 * b2 + u(-5, 5), 25 * gz + u(-8, 8), 0.36 * a2 * g * left * j(),
				0.3 * b2 * g * j(), 42 * gz * j(), u(-0.3, 0.15)));
			blobs.add(ellipsoid(cx - 0.6 * a2 + u(-6, 6), cy - 0.02 * b2 + u(-6, 6), -50 * gz + u(-10, 10), 0.26 * a2 * g * j(),
				0.45 * b2 * g * j(), 40 * gz * j(), u(-0.4, 0.4)));
			if (rng.nextDouble() < 0.7)
				blobs.add(ellipsoid(cx - 0.12 * a2, cy + 0.2 * b2, u(0, 20), 18 * g * j(), 20 * g * j(), 35 * gz * j(), 0));
			liverBlobs = blobs.toArray(new Shape[0]);
			final int waves = 4;
			final double[] amp = new double[waves], kx = new double[waves], ky = new double[waves], kz = new double[waves],
					phase = new double[waves];
			double ripple = 0;
			for (int w = 0; w < waves; w++) {
				amp[w] = u(1.5, 5);
				ripple += amp[w];
				final double k = 2 * Math.PI / u(50, 120);
				final double cosT = u(-1, 1), phi = u(0, 2 * Math.PI), sinT = Math.sqrt(1 - cosT * cosT);
				kx[w] = k * sinT * StrictMath.cos(phi);
				ky[w] = k * sinT * StrictMath.sin(phi);
				kz[w] = k * cosT;
				phase[w] = u(0, 2 * Math.PI);
			}
			final Shape[] parts = liverBlobs;
			final double smooth = 12;
			final Sdf sdf = (x, y, z) -> {
				double d = parts[0].sdf.at(x, y, z);
				for (int p = 1; p < parts.length; p++)
					d = smoothMin(d, parts[p].sdf.at(x, y, z), smooth);
				for (int w = 0; w < waves; w++)
					d += amp[w] * StrictMath.sin(kx[w] * x + ky[w] * y + kz[w] * z + phase[w]);
				return d;
			};
			double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1, z0 = x0, z1 = x1;
			for (final Shape b : parts) {
				x0 = Math.min(x0, b.x0);
				x1 = Math.max(x1, b.x1);
				y0 = Math.min(y0, b.y0);
				y1 = Math.max(y1, b.y1);
				z0 = Math.min(z0, b.z0);
				z1 = Math.max(z1, b.z1);
			}
			final double grow = ripple + smooth;
			final Shape liver = new Shape(sdf, x0 - grow, x1 + grow, y0 - grow, y1 + grow, z0 - grow, z1 + grow).and(cavity.shrink(2))
				.minus(cylinder(xs, ys, rs + 12, rs + 12)).minus(cylinder(xa, ya, ra + 4, ra + 4))
				.minus(cylinder(xs - 0.5 * rs, ys + 8, rs + 24, rs + 8)).minus(kidneys[0][0]).minus(kidneys[1][0]);
			return liver;
		}

		/**
		 * Lung bases above the diaphragm (a 4 mm muscle sheet), their domes wrapping around the
		 * top of the liver on the right and the stomach and spleen on the left.
		 */
		private void lungs(final double cx, final double cy, final double a2, final double b2, final Shape cavity, final Shape liver) {
			double top = Double.NEGATIVE_INFINITY;
			for (final Shape b : liverBlobs)
				top = Math.max(top, b.z1);
			final Shape clear = liver.shrink(-4);
			for (final int side : new int[] { -1, 1 }) {
				final double c = u(70, 90), bottom = top - u(5, 25) + (side > 0 ? u(-5, 15) : 0);
				final Shape lung = ellipsoid(cx + side * 0.5 * a2, cy + 0.1 * b2, bottom + c, 0.48 * a2, 0.85 * b2, c, 0).and(cavity.shrink(2))
					.minus(clear);
				paint(Tissue.MUSCLE, lung);
				paint(Tissue.LUNG, lung.shrink(4));
			}
		}

		/** A jitter factor for a size. */
		private double j() {
			return u(0.88, 1.12);
		}

		/** Portal branches from the hilum and hepatic veins toward the IVC, shown only inside the liver. */
		private void vessels(final Shape liver, final double cx, final double cy, final double a2, final double b2, final double xi,
				final double yi) {
			final Shape inside = liver.shrink(2);
			final double hx = cx - 0.15 * a2, hy = cy + 0.05 * b2, hz = u(-25, -5);
			final int portal = 3 + rng.nextInt(3), hepatic = 2 + rng.nextInt(2);
			for (int n = 0; n < portal + hepatic; n++) {
				final double[] p = pointInLiver(n >= portal);
				final boolean vein = n >= portal;
				final Shape s = vein ? capsule(xi, yi, u(30, 50), p[0], p[1], p[2], u(3, 5)) : capsule(hx, hy, hz, p[0], p[1], p[2], u(2.5, 4.5));
				paint(Tissue.HEPATIC_VESSEL, s.and(inside));
			}
		}

		/** A random point well inside one of the liver's ellipsoids (in its upper half if asked). */
		private double[] pointInLiver(final boolean upper) {
			final Shape b = liverBlobs[rng.nextDouble() < 0.65 ? 0 : 1 + rng.nextInt(liverBlobs.length - 1)];
			final double cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2, cz = (b.z0 + b.z1) / 2;
			double x, y, z;
			do {
				x = u(-1, 1);
				y = u(-1, 1);
				z = u(-1, 1);
			}
			while (x * x + y * y + z * z > 1);
			if (upper) z = Math.abs(z);
			final double f = 0.75;
			return new double[] { cx + f * x * (b.x1 - b.x0) / 2, cy + f * y * (b.y1 - b.y0) / 2, cz + f * z * (b.z1 - b.z0) / 2 };
		}

		/** 0 (a quarter of the cases) to 4 hypodense tumours, each centred well inside the liver. */
		private void tumours(final Shape liver) {
			final int count = rng.nextDouble() < 0.25 ? 0 : 1 + rng.nextInt(4);
			for (int n = 0; n < count; n++) {
				final double t = rng.nextDouble(), r = 6 + 22 * t * Math.sqrt(t);
				for (int tries = 0; tries < 60; tries++) {
					final double[] p = pointInLiver(false);
					if (liver.sdf.at(p[0], p[1], p[2]) < -0.5 * r) {
						final Shape s = ellipsoid(p[0], p[1], p[2], r * u(0.85, 1.15), r * u(0.85, 1.15), r * u(0.8, 1.2), u(0, Math.PI));
						layers.add(new Layer(Tissue.TUMOUR, u(Tissue.TUMOUR.minHu, Tissue.TUMOUR.maxHu), s.and(liver), 2));
						break;
					}
				}
			}
		}

		/** The spleen: posterolateral on the patient's left, with exactly the liver's HU value. */
		private void spleen(final double cx, final double cy, final double a2, final double b2, final Shape cavity) {
			final double g = u(0.75, 1.25);
			paint(Tissue.SPLEEN, ellipsoid(cx + 0.66 * a2, cy + 0.3 * b2, 25 + u(-10, 10), 0.2 * a2 * g, 0.48 * b2 * g, 50 * g, u(-0.7, -0.3))
				.and(cavity.shrink(1.5)));
		}

		/**
		 * Two kidneys beside the spine, the right one lower: for each, its perirenal fat, the kidney
		 * with its enhancing cortex, and the medulla.
		 */
		private Shape[][] kidneys(final double xs, final double ys, final double rs) {
			final Shape[][] kidneys = new Shape[2][];
			for (int n = 0; n < 2; n++) {
				final int side = n == 0 ? -1 : 1;
				final double x = xs + side * (rs + u(38, 46)), y = ys + u(5, 12), z = (side < 0 ? -50 : -35) + u(-10, 10);
				final double a = u(22, 27), b = u(30, 36), c = u(45, 55), th = -side * u(0.4, 0.7), cortex = u(4, 6), fat = u(4, 8);
				kidneys[n] = new Shape[] { ellipsoid(x, y, z, a + fat, b + fat, c + fat, th), ellipsoid(x, y, z, a, b, c, th),
					ellipsoid(x, y, z, a - cortex, b - cortex, c - cortex, th) };
			}
			return kidneys;
		}

		/** Vertebral bodies with a cortical rim and discs between them, the neural arch and the canal. */
		private void spine(final double xs, final double ys, final double rs, final double yc, final double rc, final double tipLimit,
				final double zLo, final double zHi) {
			final double rim = u(1.8, 2.8);
			paint(Tissue.BONE_CORTEX, cylinder(xs, ys, rs, rs * u(0.85, 0.95)));
			paint(Tissue.BONE_MARROW, cylinder(xs, ys, rs - rim, rs * 0.9 - rim));
			final double period = u(30, 36), disc = u(7, 10);
			for (double z = zLo - u(0, period); z < zHi; z += period)
				paint(Tissue.DISC, cylinder(xs, ys, rs - 0.5, rs * 0.9 - 0.5).and(slab(z, z + disc)));
			final double arch = rc + 5;
			paint(Tissue.BONE_CORTEX, cylinder(xs, yc, arch, arch));
			paint(Tissue.BONE_MARROW, cylinder(xs, yc, arch - rim, arch - rim));
			final double length = Math.max(8, Math.min(35, tipLimit - yc - arch));
			paint(Tissue.BONE_CORTEX, cylinder(xs, yc + arch + length / 2 - 2, 5, length / 2 + 2));
			paint(Tissue.CSF, cylinder(xs, yc, rc, rc));
		}

		/** Rib cross-sections in the muscle wall, above a costal margin that slopes up anteriorly. */
		private void ribs(final double cx, final double cy, final double ra, final double rb, final double r, final double zLo,
				final double zHi) {
			final double margin = u(-60, -30), period = u(28, 34);
			for (int a = 100; a <= 240; a += 20) {
				final double lowest = margin + Math.max(0, a - 180) * 0.8;
				for (final int side : new int[] { -1, 1 }) {
					final double t0 = Math.toRadians(side < 0 ? a : 180 - a);
					for (double z = Math.max(zLo, lowest) + u(0, period); z < zHi; z += period) {
						final double t = t0 + u(-0.04, 0.04);
						final double x = cx + ra * StrictMath.cos(t), y = cy + rb * StrictMath.sin(t);
						paint(Tissue.BONE_CORTEX, ellipsoid(x, y, z, r, r, 7, 0));
						paint(Tissue.BONE_MARROW, ellipsoid(x, y, z, r - 1.8, r - 1.8, 5.5, 0));
					}
				}
			}
		}
	}

	/** A smooth minimum (polynomial, blending over {@code k} mm) of two distances. */
	static double smoothMin(final double a, final double b, final double k) {
		final double h = Math.max(0, Math.min(1, 0.5 + 0.5 * (b - a) / k));
		return b + (a - b) * h - k * h * (1 - h);
	}
}
