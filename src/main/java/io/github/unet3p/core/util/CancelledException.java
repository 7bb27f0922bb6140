package io.github.unet3p.core.util;

/** Thrown when a long task stops because its {@link Cancellation} was requested. */
public class CancelledException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Creates the exception; {@code what} says which task stopped. */
	public CancelledException(final String what) {
		super(what + " was cancelled");
	}
}
