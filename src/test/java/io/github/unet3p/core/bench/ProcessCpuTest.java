package io.github.unet3p.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The process CPU clock: it advances by about the CPU time a busy loop spends, and says nothing where it cannot be read. */
class ProcessCpuTest {

	@Test
	void aBusyLoopAdvancesTheProcessCpuClock() {
		Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux only");
		final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
		final long start = ProcessCpu.nanos(), threadStart = threads.getCurrentThreadCpuTime();
		double x = 0;
		while (threads.getCurrentThreadCpuTime() - threadStart < 300_000_000L)
			x += Math.sqrt(x + 1);
		final long spent = ProcessCpu.nanos() - start;
		assertTrue(x > 0);
		// this thread alone spent 300 ms; the process at least that, minus the 10 ms tick
		assertTrue(spent >= 290_000_000L, "process CPU advanced " + spent + " ns");
		assertTrue(ProcessCpu.perStep(start, 3).startsWith("CPU: "), ProcessCpu.perStep(start, 3));
	}

	@Test
	void anUnreadableClockGivesNoFigure() {
		assertEquals("", ProcessCpu.perStep(-1, 3));
	}
}
