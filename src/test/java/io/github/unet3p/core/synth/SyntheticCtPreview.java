package io.github.unet3p.core.synth;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import io.github.unet3p.core.volume.Volume;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;

/**
 * Renders axial slices of synthetic cases side by side as a PNG, windowed to −200…250 HU and
 * rotated like the seed (rot90), with the liver outlined in green and tumours in red.
 * Test-side only (it uses javax.imageio).
 */
final class SyntheticCtPreview {

	private SyntheticCtPreview() {}

	/** Writes the slices {@code ks} of each case in one row per case, each pixel drawn {@code zoom}×. */
	static void write(final Path png, final SyntheticCase[] cases, final int[][] ks, final int zoom) throws IOException {
		final int n = cases[0].ct().size(0);
		int columns = 0;
		for (final int[] k : ks)
			columns = Math.max(columns, k.length);
		final int tile = n * zoom, gap = 2;
		final BufferedImage img = new BufferedImage(columns * (tile + gap) - gap, cases.length * (tile + gap) - gap, BufferedImage.TYPE_INT_RGB);
		for (int row = 0; row < cases.length; row++)
			for (int col = 0; col < ks[row].length; col++)
				drawSlice(img, cases[row], ks[row][col], col * (tile + gap), row * (tile + gap), zoom);
		ImageIO.write(img, "png", png.toFile());
	}

	private static void drawSlice(final BufferedImage img, final SyntheticCase sc, final int k, final int ox, final int oy, final int zoom) {
		final int n = sc.ct().size(0), jn = sc.ct().size(1);
		final double[][] hu = new double[jn][n];
		final int[][] lab = new int[jn][n];
		final RandomAccess<? extends RealType<?>> ct = sc.ct().raw().randomAccess(), lb = sc.labels().raw().randomAccess();
		for (int r = 0; r < jn; r++)
			for (int c = 0; c < n; c++) {
				// out[r, c] = in[c, J-1-r]
				final long[] pos = { c, jn - 1 - r, k };
				ct.setPosition(pos);
				lb.setPosition(pos);
				hu[r][c] = ct.get().getRealDouble();
				lab[r][c] = (int) lb.get().getRealDouble();
			}
		for (int r = 0; r < jn; r++)
			for (int c = 0; c < n; c++) {
				final int g = (int) Math.round(255 * Math.max(0, Math.min(1, (hu[r][c] + 200) / 450)));
				int rgb = g << 16 | g << 8 | g;
				final int l = lab[r][c];
				if (l > 0 && edge(lab, r, c, l)) rgb = l == 2 ? 0xff3030 : 0x30ff30;
				for (int dy = 0; dy < zoom; dy++)
					for (int dx = 0; dx < zoom; dx++)
						img.setRGB(ox + c * zoom + dx, oy + r * zoom + dy, rgb);
			}
	}

	private static boolean edge(final int[][] lab, final int r, final int c, final int l) {
		final int[][] d = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };
		for (final int[] o : d) {
			final int rr = r + o[0], cc = c + o[1];
			if (rr < 0 || cc < 0 || rr >= lab.length || cc >= lab[0].length) return true;
			if (l == 1 ? lab[rr][cc] == 0 : lab[rr][cc] != 2) return true;
		}
		return false;
	}

	/** Renders the first cases of a seed for a look: {@code seed cases out.png}. */
	public static void main(final String[] args) throws IOException {
		final long seed = Long.parseLong(args[0]);
		final int count = Integer.parseInt(args[1]);
		final SyntheticCtSettings s = SyntheticCtSettings.builder().setCount(count).setSeed(seed).build();
		final SyntheticCase[] cases = new SyntheticCase[count];
		final int[][] ks = new int[count][];
		for (int i = 0; i < count; i++) {
			final long t0 = System.nanoTime();
			cases[i] = RandSyntheticCt.generate(s, i);
			System.out.printf("case %d: %.0f ms%n", i, (System.nanoTime() - t0) / 1e6);
			final int depth = s.slices();
			ks[i] = new int[] { depth / 6, depth / 3, depth / 2, 2 * depth / 3, 5 * depth / 6 };
		}
		write(Path.of(args[2]), cases, ks, 2);
		final Volume v = cases[0].ct();
		System.out.println(v.geometry());
	}
}
