package io.github.unet3p.core.synth;

import java.io.IOException;
import java.nio.file.Path;

import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;

/**
 * Writes the repository's {@code sample-data/lits/} and {@code sample-data/preview.png}: a demo
 * program, not a test. Arguments: {@code <sample-data folder> <count> <seed> [<slices> [<spacing>]]};
 * the README there gives the exact command.
 */
public final class GenerateSampleData {

	private GenerateSampleData() {}

	/** Generates the dataset and its preview. */
	public static void main(final String[] args) throws IOException {
		final Path root = Path.of(args[0]);
		final SyntheticCtSettings.Builder builder = SyntheticCtSettings.builder().setCount(Integer.parseInt(args[1]))
			.setSeed(Long.parseLong(args[2]));
		if (args.length > 3) builder.optSlices(Integer.parseInt(args[3]));
		if (args.length > 4) builder.optSpacing(args[4]);
		final SyntheticCtSettings settings = builder.build();
		System.out.println("Generating " + settings);
		final long t0 = System.nanoTime();
		SyntheticDataset.write(root.resolve("lits"), settings, new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {}

			@Override
			public void message(final String text) {
				System.out.println(text);
			}
		}, Cancellation.none());
		System.out.printf("%d volumes in %.1f s%n", settings.count(), (System.nanoTime() - t0) / 1e9);
		// Preview: three cases, three levels each (below, through and above the liver's middle).
		final int k = settings.slices();
		final int[] cases = { 0, 1, settings.count() - 1 };
		final SyntheticCase[] shown = new SyntheticCase[cases.length];
		final int[][] ks = new int[cases.length][];
		for (int i = 0; i < cases.length; i++) {
			shown[i] = RandSyntheticCt.generate(settings, cases[i]);
			ks[i] = new int[] { k / 4, k / 2, 3 * k / 4 };
		}
		SyntheticCtPreview.write(root.resolve("preview.png"), shown, ks, 2);
	}
}
