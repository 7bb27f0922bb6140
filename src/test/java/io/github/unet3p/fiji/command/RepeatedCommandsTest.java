package io.github.unet3p.fiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: the user's cycle (Train, Segment Files, Evaluate) repeated in one Fiji session leaves
 * nothing behind. After the first iteration (which loads PyTorch and starts the pools that live as
 * long as the JVM) the live Java threads (but cached pools' idle ones) and the open file descriptors
 * do not grow, and no thread is left running our code; after every
 * iteration no DJL array or manager is left alive, and the session holds no SciJava object or
 * ImageJ image for commands that only write files.
 *
 * <p>NB: the threads of the process as the OS counts them are not asserted: the JVM starts and
 * retires JIT compiler and GC threads on its own; the bench ({@code SessionSoakBench}) prints them.
 */
class RepeatedCommandsTest {

	private static final int ITERATIONS = 4;
	/** How long threads that were told to stop (a pool's {@code shutdownNow}) may take to end. */
	private static final long SETTLE_MS = 5_000;

	@TempDir
	Path tmp;

	@Test
	void repeatedTrainSegmentEvaluateLeakNothing() throws Exception {
		final List<SessionGauges> after = new ArrayList<>();
		try (SessionCycle session = new SessionCycle(tmp, new SessionCycle.Sizes(32, 4, 2, 2, 4))) {
			final SessionCycle.Held heldBefore = session.held();
			for (int i = 0; i < ITERATIONS; i++) {
				session.iterate();
				final SessionGauges first = after.isEmpty() ? null : after.get(0);
				final SessionGauges now = settled(first);
				after.add(now);
				assertEquals(List.of(), ours(now), "UNet3+ threads (loader, preprocess pools) alive after iteration " + (i + 1));
				assertEquals(List.of(), busyInOurCode(), "threads still running UNet3+ code after iteration " + (i + 1));
				assertEquals(0, now.ndArrays(), "live NDArrays after iteration " + (i + 1));
				assertEquals(0, now.ndManagers(), "live NDManagers (models, base or sub-managers) after iteration " + (i + 1));
				assertEquals(heldBefore, session.held(), "SciJava objects and ImageJ images held after iteration " + (i + 1));
				if (first == null) continue;
				assertTrue(unpooled(now).size() <= unpooled(first).size(),
						"Java threads grew after iteration " + (i + 1) + ": " + first.threadNames() + " -> " + now.threadNames());
				assertTrue(now.openFds() <= first.openFds(), "open file descriptors grew after iteration " + (i + 1) + ": " + first.fdTargets() + " -> " + now.fdTargets());
			}
		}
		assertEquals(ITERATIONS, after.size());
		assertTrue(after.get(0).javaThreads() > 0 && after.get(0).openFds() > 0, "the gauges read this process: " + after.get(0));
	}

	/**
	 * The live threads but those of SciJava's and the JDK's cached pools. NB: those pools grow to
	 * the concurrency of the moment (a module's thread plus an event published meanwhile) and drop
	 * threads idle for 60 s, so their size varies without a leak; what they could leak is a thread
	 * stuck in our code, which {@link #busyInOurCode()} catches.
	 */
	private static List<String> unpooled(final SessionGauges g) {
		return g.threadNames().stream().filter(n -> !n.startsWith("SciJava-") && !n.startsWith("ForkJoinPool")).toList();
	}

	/** Threads other than this one with a UNet3+ frame on their stack. */
	private static List<String> busyInOurCode() {
		final List<String> busy = new ArrayList<>();
		for (final Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
			if (e.getKey() == Thread.currentThread()) continue;
			for (final StackTraceElement frame : e.getValue())
				if (frame.getClassName().startsWith("io.github.unet3p.")) {
					busy.add(e.getKey().getName() + " at " + frame);
					break;
				}
		}
		return busy;
	}

	/** Our own threads among the live ones (they are all named {@code unet3p-...}). */
	private static List<String> ours(final SessionGauges g) {
		return g.threadNames().stream().filter(n -> n.startsWith("unet3p-")).toList();
	}

	/**
	 * Gauges read once our threads have ended and left our code and the counts are back to
	 * {@code first}'s (when given), or after {@link #SETTLE_MS}.
	 */
	private static SessionGauges settled(final SessionGauges first) throws InterruptedException {
		final long end = System.nanoTime() + SETTLE_MS * 1_000_000;
		SessionGauges g = SessionGauges.now();
		while ((!ours(g).isEmpty() || !busyInOurCode().isEmpty()
				|| first != null && (unpooled(g).size() > unpooled(first).size() || g.openFds() > first.openFds())) && System.nanoTime() < end) {
			Thread.sleep(50);
			g = SessionGauges.now();
		}
		return g;
	}
}
