package io.github.unet3p.reliability;

import java.io.IOException;
import java.nio.file.Path;

import io.github.unet3p.testsupport.TinyBundles;

/**
 * Writes a valid, untrained model bundle for {@code src/test/scripts/segment_kill.sh}: the fastest
 * way to a bundle that {@code UNet3+ Segment Files} loads (what it predicts does not matter there).
 *
 * <pre>
 * TinyModel &lt;folder&gt; &lt;filters&gt; &lt;size&gt;    unet3plus, 2 classes, weights from seed 5
 * </pre>
 */
public final class TinyModel {

	private TinyModel() {}

	/** Writes the bundle; see the class comment. */
	public static void main(final String... args) throws IOException {
		TinyBundles.write(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), 5);
		System.out.println("ok: bundle in " + args[0]);
	}
}
