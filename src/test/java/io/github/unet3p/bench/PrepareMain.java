package io.github.unet3p.bench;

import io.github.unet3p.core.preprocess.LitsPreparer;
import io.github.unet3p.core.preprocess.PreprocessSettings;
import io.github.unet3p.core.util.Cancellation;
import io.github.unet3p.core.util.ProgressListener;

import java.nio.file.Path;

/**
 * Runs {@link LitsPreparer} from the command line for the seed-parity and throughput benchmarks:
 * {@code PrepareMain INPUT OUTPUT SIZE [THREADS]}; prints slices/s.
 */
public final class PrepareMain {

	private PrepareMain() {}

	public static void main(final String[] args) {
		final Path in = Path.of(args[0]), out = Path.of(args[1]);
		final int size = Integer.parseInt(args[2]);
		final int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
		final PreprocessSettings settings = PreprocessSettings.builder().optSize(size).build();
		final ProgressListener console = new ProgressListener() {
			@Override
			public void progress(final String task, final long done, final long total) {}

			@Override
			public void message(final String text) {
				System.out.println(text);
			}
		};
		final long t0 = System.nanoTime();
		final LitsPreparer.Summary s = new LitsPreparer(settings, f -> io.github.unet3p.core.volume.nifti.NiftiReader.read(f).volume(), threads)
				.prepare(in, out, console, Cancellation.none());
		final double sec = (System.nanoTime() - t0) / 1e9;
		System.out.printf("java pipeline: %d slices in %.2f s = %.1f slices/s (%d threads)%n", s.images(), sec, s.images() / sec, threads);
	}
}
