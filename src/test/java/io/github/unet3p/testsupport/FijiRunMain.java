package io.github.unet3p.testsupport;

import org.scijava.Context;
import org.scijava.SciJava;

/**
 * What ImageJ2's (and so Fiji's) {@code main} does with its arguments, in a JVM of its own:
 * SciJava's gateway {@code launch}: {@code ConsoleService.processArgs(args)} (which queues
 * {@code --run} as a startup operation and makes {@code --headless} headless), the main methods,
 * the user interface, {@code StartupService.executeOperations()}, and then, headless, the
 * context's disposal. The JVM then ends with status 0 as Fiji's does, whatever the operations did.
 * {@link FijiRun} starts it.
 */
public final class FijiRunMain {

	private FijiRunMain() {}

	/** Runs the arguments as {@code fiji --headless --run "<command>" "<options>"} does. */
	public static void main(final String... args) {
		final SciJava gateway = new SciJava(new Context());
		gateway.launch(args);
		System.out.println(FijiRun.ENDED);
	}
}
