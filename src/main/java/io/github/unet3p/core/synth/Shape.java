package io.github.unet3p.core.synth;

/**
 * A solid of the synthetic anatomy: its signed distance and an axis-aligned box (mm) outside of
 * which it is certainly empty. Coordinates: x toward the patient's left (image right), y toward
 * posterior (image down), z toward the head, origin at the liver's centre height.
 */
final class Shape {

	final Sdf sdf;
	final double x0, x1, y0, y1, z0, z1;

	Shape(final Sdf sdf, final double x0, final double x1, final double y0, final double y1, final double z0, final double z1) {
		this.sdf = sdf;
		this.x0 = x0;
		this.x1 = x1;
		this.y0 = y0;
		this.y1 = y1;
		this.z0 = z0;
		this.z1 = z1;
	}

	/**
	 * An ellipsoid with semi-axes a, b (in-plane, rotated by theta radians) and c (along z; infinite
	 * makes an elliptic cylinder).
	 */
	static Shape ellipsoid(final double cx, final double cy, final double cz, final double a, final double b, final double c,
			final double theta) {
		final double co = StrictMath.cos(theta), si = StrictMath.sin(theta);
		final double ia = 1 / a, ib = 1 / b, ic = Double.isInfinite(c) ? 0 : 1 / c;
		final double inner = -Math.min(a, Math.min(b, c));
		final Sdf sdf = (x, y, z) -> {
			final double dx = x - cx, dy = y - cy;
			final double u = (co * dx + si * dy) * ia, v = (-si * dx + co * dy) * ib, w = (z - cz) * ic;
			final double q = Math.sqrt(u * u + v * v + w * w);
			if (q < 1e-9) return inner;
			final double gu = u * ia, gv = v * ib, gw = w * ic;
			final double g = Math.sqrt(gu * gu + gv * gv + gw * gw) / q;
			return (q - 1) / g;
		};
		final double hx = Math.sqrt(a * a * co * co + b * b * si * si), hy = Math.sqrt(a * a * si * si + b * b * co * co);
		return new Shape(sdf, cx - hx, cx + hx, cy - hy, cy + hy, cz - c, cz + c);
	}

	/** An elliptic cylinder along z, axis-aligned. */
	static Shape cylinder(final double cx, final double cy, final double a, final double b) {
		return ellipsoid(cx, cy, 0, a, b, Double.POSITIVE_INFINITY, 0);
	}

	/** A capsule: the points within {@code radius} of the segment p → q. */
	static Shape capsule(final double px, final double py, final double pz, final double qx, final double qy, final double qz,
			final double radius) {
		final double ux = qx - px, uy = qy - py, uz = qz - pz;
		final double len2 = Math.max(ux * ux + uy * uy + uz * uz, 1e-12);
		final Sdf sdf = (x, y, z) -> {
			final double wx = x - px, wy = y - py, wz = z - pz;
			final double t = Math.max(0, Math.min(1, (wx * ux + wy * uy + wz * uz) / len2));
			final double dx = wx - t * ux, dy = wy - t * uy, dz = wz - t * uz;
			return Math.sqrt(dx * dx + dy * dy + dz * dz) - radius;
		};
		return new Shape(sdf, Math.min(px, qx) - radius, Math.max(px, qx) + radius, Math.min(py, qy) - radius, Math.max(py, qy) + radius,
			Math.min(pz, qz) - radius, Math.max(pz, qz) + radius);
	}

	/** The half-space y < level (anterior of a horizontal plane: where gas rises in a supine patient). */
	static Shape above(final double level) {
		final double inf = Double.POSITIVE_INFINITY;
		return new Shape((x, y, z) -> y - level, -inf, inf, -inf, level, -inf, inf);
	}

	/** The slab z0 < z < z1. */
	static Shape slab(final double z0, final double z1) {
		final double mid = 0.5 * (z0 + z1), half = 0.5 * (z1 - z0);
		final double inf = Double.POSITIVE_INFINITY;
		return new Shape((x, y, z) -> Math.abs(z - mid) - half, -inf, inf, -inf, inf, z0, z1);
	}

	/** Where both this and {@code other} are. */
	Shape and(final Shape other) {
		final Sdf a = sdf, b = other.sdf;
		return new Shape((x, y, z) -> Math.max(a.at(x, y, z), b.at(x, y, z)), Math.max(x0, other.x0), Math.min(x1, other.x1),
			Math.max(y0, other.y0), Math.min(y1, other.y1), Math.max(z0, other.z0), Math.min(z1, other.z1));
	}

	/** This solid without {@code other}. */
	Shape minus(final Shape other) {
		final Sdf a = sdf, b = other.sdf;
		return new Shape((x, y, z) -> Math.max(a.at(x, y, z), -b.at(x, y, z)), x0, x1, y0, y1, z0, z1);
	}

	/** This solid shrunk by {@code mm} (grown for a negative value); the box is kept. */
	Shape shrink(final double mm) {
		final Sdf a = sdf;
		return new Shape((x, y, z) -> a.at(x, y, z) + mm, x0, x1, y0, y1, z0, z1);
	}
}
