package io.github.unet3p.core.util;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancel flag shared between a long task and whoever may stop it. Tasks check it between units
 * of work (a slice, a batch, a volume) and stop with {@link CancelledException}.
 */
public final class Cancellation {

	private final AtomicBoolean requested = new AtomicBoolean();

	/** A flag that is never set (for callers that cannot cancel). */
	public static Cancellation none() {
		return new Cancellation();
	}

	/** Asks the task to stop at its next check. */
	public void cancel() {
		requested.set(true);
	}

	/** Whether cancellation has been asked for. */
	public boolean isCancelled() {
		return requested.get();
	}

	/** Throws {@link CancelledException} naming {@code what} if cancellation was asked for. */
	public void check(final String what) {
		if (requested.get()) throw new CancelledException(what);
	}
}
