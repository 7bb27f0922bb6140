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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a per-slice task over a range of slice indices on a pool: each of up to {@code threads}
 * workers takes the next unclaimed index until none is left, with one
 * {@link SlicePreparer.Workspace} per worker; checks cancellation before every slice and rethrows
 * the first failure as it was thrown.
 *
 * <p>NB: indices are handed out one at a time, not in fixed contiguous chunks, so a worker that
 * the operating system delays (other processes on the cores) does not hold up the range.
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
		final int workers = pool == null ? 1 : Math.min(threads, n);
		final AtomicInteger next = new AtomicInteger(from);
		if (workers <= 1) {
			runWorker(next, to, preparer, cancellation, what, task);
			return;
		}
		final List<Callable<Void>> jobs = new ArrayList<>(workers);
		for (int c = 0; c < workers; c++)
			jobs.add(() -> {
				runWorker(next, to, preparer, cancellation, what, task);
				return null;
			});
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

	/** Runs {@code task} on the indices it claims from {@code next} until {@code to} is reached. */
	private static void runWorker(final AtomicInteger next, final int to, final SlicePreparer preparer, final Cancellation cancellation,
			final String what, final SliceTask task) {
		final SlicePreparer.Workspace ws = preparer.newWorkspace();
		try {
			for (int k = next.getAndIncrement(); k < to; k = next.getAndIncrement()) {
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
