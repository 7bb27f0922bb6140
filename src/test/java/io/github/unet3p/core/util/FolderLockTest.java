package io.github.unet3p.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FolderLock}: one holder at a time, in this JVM and across processes; released by close
 * and by the death of a killed holder; the lock file is hidden and gone after close.
 */
class FolderLockTest {

	@TempDir
	Path tmp;

	private static List<String> names(final Path folder) throws IOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	@Test
	void aSecondHolderInThisJvmIsRefusedWithTheFolderNamedUntilTheFirstCloses() throws IOException {
		final Path folder = tmp.resolve("out");
		try (FolderLock first = FolderLock.acquire(folder)) {
			assertEquals(folder.toRealPath().resolve(FolderLock.FILE_NAME), first.file());
			assertTrue(Files.readString(first.file()).contains("process " + ProcessHandle.current().pid()), "the lock file names its holder");
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(folder));
			assertTrue(e.getMessage().contains("Another UNet3+ run is writing into " + folder), e.getMessage());
			assertEquals("busy", assertThrows(InvalidInputException.class, () -> FolderLock.acquire(folder, "busy")).getMessage());
		}
		assertEquals(List.of(), names(folder), "closing deletes the lock file");
		FolderLock.acquire(folder).close();
		FolderLock.acquire(folder).close();
	}

	@Test
	void closingTwiceIsHarmlessAndLocksOnOtherFoldersAreIndependent() throws IOException {
		try (FolderLock a = FolderLock.acquire(tmp.resolve("a")); FolderLock b = FolderLock.acquire(tmp.resolve("b"))) {
			a.close();
			a.close();
			FolderLock.acquire(tmp.resolve("a")).close();
			assertThrows(InvalidInputException.class, () -> FolderLock.acquire(tmp.resolve("b")));
		}
	}

	@Test
	void aLockFileLeftByADeadProcessDoesNotBlock() throws IOException {
		final Path folder = Files.createDirectories(tmp.resolve("out"));
		Files.writeString(folder.resolve(FolderLock.FILE_NAME), "UNet3+ process 1, lock 1, long ago\n");
		try (FolderLock lock = FolderLock.acquire(folder)) {
			assertFalse(Files.readString(lock.file()).contains("long ago"), "the new holder's line replaces the old one");
		}
		assertEquals(List.of(), names(folder));
	}

	@Test
	void anotherProcessIsRefusedWhileWeHoldTheLock() throws Exception {
		final Path folder = tmp.resolve("out");
		try (FolderLock lock = FolderLock.acquire(folder)) {
			final Process child = holder(folder);
			final boolean ended = child.waitFor(60, TimeUnit.SECONDS);
			final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(ended, out);
			assertEquals(1, child.exitValue(), out);
			assertTrue(out.contains("refused: Another UNet3+ run is writing into " + folder), out);
		}
		final Process child = holder(folder);
		child.getOutputStream().close(); // the holder releases at once
		assertTrue(child.waitFor(60, TimeUnit.SECONDS));
		assertEquals(0, child.exitValue(), new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	@Test
	void aKilledHolderProcessReleasesTheLock() throws Exception {
		final Path folder = tmp.resolve("out");
		final Process child = holder(folder);
		try {
			final BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			assertEquals("locked", lines.readLine());
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> FolderLock.acquire(folder));
			assertTrue(e.getMessage().contains(folder.toString()), e.getMessage());
		}
		finally {
			child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close()
		}
		assertTrue(child.waitFor(60, TimeUnit.SECONDS));
		assertTrue(Files.exists(folder.resolve(FolderLock.FILE_NAME)), "a killed holder leaves its lock file");
		try (FolderLock lock = FolderLock.acquire(folder)) {
			assertTrue(Files.readString(lock.file()).contains("process " + ProcessHandle.current().pid()));
		}
		assertEquals(List.of(), names(folder));
	}

	/** Starts {@link Holder} on {@code folder} in a new JVM. */
	private static Process holder(final Path folder) throws IOException {
		final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		final String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		return new ProcessBuilder(java, "-Xmx64m", "-cp", cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator), Holder.class.getName(),
				folder.toString()).redirectErrorStream(true).start();
	}

	/**
	 * Takes the lock on the folder {@code args[0]}, prints "locked" and holds it until its standard
	 * input ends; prints "refused: message" and exits 1 when the lock is taken.
	 */
	public static final class Holder {

		private Holder() {}

		/** See the class comment. */
		public static void main(final String... args) throws IOException {
			final FolderLock lock;
			try {
				lock = FolderLock.acquire(Path.of(args[0]));
			}
			catch (final InvalidInputException e) {
				System.out.println("refused: " + e.getMessage());
				System.exit(1);
				return;
			}
			System.out.println("locked");
			System.out.flush();
			System.in.readAllBytes();
			lock.close();
		}
	}
}
