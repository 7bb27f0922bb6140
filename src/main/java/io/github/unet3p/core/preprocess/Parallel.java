package io.github.unet3p.core.preprocess;

import io.github.unet3p.core.util.CancelledException;
import io.github.unet3p.core.util.Cancellation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a per-slice task over a range of slice indices on a pool, in contiguous chunks, one
 * {@link SlicePreparer.Workspace} per chunk; checks cancellation before every slice and rethrows
 * the first failure as it was thrown.
 */
final class Parallel {

	/** Work on one slice index. */
	@FunctionalInterface
	interface SliceTask {

		void run(int k, SlicePreparer.Workspace workspace) throws IOException;
	}

	private Parallel() {}

	static void forEach(final ExecutorService pool, final int threads, final int from, final int to, final SlicePreparer preparer,
			final Cancellation cancellation, final String what, final SliceTask task) {
		final int n = to - from;
		if (n <= 0) return;
		final int chunks = pool == null ? 1 : Math.min(threads, n);
		if (chunks <= 1) {
			runChunk(from, to, preparer, cancellation, what, task);
			return;
		}
		final List<Callable<Void>> jobs = new ArrayList<>(chunks);
		for (int c = 0; c < chunks; c++) {
			final int a = from + (int) ((long) n * c / chunks), b = from + (int) ((long) n * (c + 1) / chunks);
			jobs.add(() -> {
				runChunk(a, b, preparer, cancellation, what, task);
				return null;
			});
		}
		final List<Future<Void>> futures;
		try {
			futures = pool.invokeAll(jobs);
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CancelledException(what);
		}
		RuntimeException first = null;
		for (final Future<Void> f : futures) {
			try {
				f.get();
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new CancelledException(what);
			}
			catch (final ExecutionException e) {
				final RuntimeException r = unwrap(e.getCause());
				// NB: a real failure beats the cancellations it may have caused elsewhere.
				if (first == null || first instanceof CancelledException && !(r instanceof CancelledException)) first = r;
			}
		}
		if (first != null) throw first;
	}

	private static void runChunk(final int a, final int b, final SlicePreparer preparer, final Cancellation cancellation, final String what,
			final SliceTask task) {
		final SlicePreparer.Workspace ws = preparer.newWorkspace();
		try {
			for (int k = a; k < b; k++) {
				cancellation.check(what);
				task.run(k, ws);
			}
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static RuntimeException unwrap(final Throwable t) {
		if (t instanceof RuntimeException) return (RuntimeException) t;
		if (t instanceof Error) throw (Error) t;
		if (t instanceof IOException) return new UncheckedIOException((IOException) t);
		return new IllegalStateException(t);
	}
}
