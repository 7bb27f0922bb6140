package io.github.unet3p.core.util;

/**
 * A user error: bad input file, bad parameter, unwritable output. Its message is written for a
 * person and names what is wrong (the file or key, the problem, and what was expected).
 *
 * <p>NB: the launcher and the commands print only the message of this exception, never its
 * stack trace; every other exception is a bug and is reported with its trace.
 */
public class InvalidInputException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Creates the exception with a message a user can act on. */
	public InvalidInputException(final String message) {
		super(message);
	}

	/** Creates the exception with a message a user can act on and the low-level cause. */
	public InvalidInputException(final String message, final Throwable cause) {
		super(message, cause);
	}
}
