package io.github.unet3p.fiji.command;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import io.github.unet3p.core.model.TorchEngine;

/**
 * What a long Fiji session could leak, read at one moment: resident memory, the live heap after a
 * full GC, Java and OS threads, open file descriptors, and DJL's live native arrays and managers.
 *
 * <p>NB: threads and descriptors are read <em>before</em> the GC, so a stream that is only closed
 * when the collector finds it unreachable still counts as open; the heap is read after it.
 *
 * @param rssKb VmRSS of this process in KiB (-1 where /proc is absent)
 * @param heapBytes used heap after {@link System#gc()}
 * @param javaThreads live Java threads (daemon or not)
 * @param osThreads threads of the process, native ones (PyTorch's pool) included (-1 without /proc)
 * @param openFds entries of /proc/self/fd (0 without /proc)
 * @param ndArrays live NDArrays under DJL's system manager, counted through every sub-manager
 * @param ndManagers live managers under DJL's system manager (models, base managers, sub-managers)
 * @param threadNames names of the live Java threads, for messages
 * @param fdTargets what the open file descriptors point to (files, pipes, sockets), for messages
 */
public record SessionGauges(long rssKb, long heapBytes, int javaThreads, int osThreads, int openFds, int ndArrays, int ndManagers,
		List<String> threadNames, List<String> fdTargets) {

	private static NDManager system;

	/** Reads every gauge now. */
	public static SessionGauges now() {
		final int javaThreads = ManagementFactory.getThreadMXBean().getThreadCount();
		final List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
		final int osThreads = (int) status("Threads:");
		final List<String> fds = readFds();
		System.gc();
		final Runtime rt = Runtime.getRuntime();
		final long heap = rt.totalMemory() - rt.freeMemory();
		final NDManager root = system();
		return new SessionGauges(status("VmRSS:"), heap, javaThreads, osThreads, fds.size(), root.getManagedArrays().size(), managers(root), names, fds);
	}

	/** These gauges without the name lists (a long run keeps only the counts of most samples). */
	public SessionGauges counts() {
		return new SessionGauges(rssKb, heapBytes, javaThreads, osThreads, openFds, ndArrays, ndManagers, List.of(), List.of());
	}

	/** DJL's system manager (the parent of every base manager). */
	private static synchronized NDManager system() {
		if (system == null) {
			try (NDManager probe = TorchEngine.get().newBaseManager()) {
				system = probe.getParentManager();
			}
		}
		return system;
	}

	/** Managers below {@code manager}, recursively. */
	private static int managers(final NDManager manager) {
		int n = 0;
		for (final AutoCloseable r : resources(manager).values()) {
			if (r instanceof NDManager) n += 1 + managers((NDManager) r);
		}
		return n;
	}

	/** NB: DJL has no public list of a manager's sub-managers; its protected resource map is read. */
	@SuppressWarnings("unchecked")
	private static Map<String, AutoCloseable> resources(final NDManager manager) {
		try {
			final Field f = BaseNDManager.class.getDeclaredField("resources");
			f.setAccessible(true);
			return (Map<String, AutoCloseable>) f.get(manager);
		}
		catch (final ReflectiveOperationException | ClassCastException e) {
			throw new IllegalStateException("cannot read the sub-managers of " + manager, e);
		}
	}

	/** Targets of the open descriptors, sorted; the listing's own descriptor is gone by the time it is read. */
	private static List<String> readFds() {
		final List<Path> fds;
		try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
			fds = list.toList();
		}
		catch (final IOException e) {
			return List.of();
		}
		return fds.stream().map(SessionGauges::target).filter(t -> t != null).sorted().toList();
	}

	private static String target(final Path fd) {
		try {
			return Files.readSymbolicLink(fd).toString();
		}
		catch (final IOException e) {
			return null; // closed meanwhile (the listing's own descriptor)
		}
	}

	private static long status(final String key) {
		try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
			return lines.filter(l -> l.startsWith(key)).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
		}
		catch (final IOException e) {
			return -1;
		}
	}
}
