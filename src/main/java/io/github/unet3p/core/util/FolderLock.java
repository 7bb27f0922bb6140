package io.github.unet3p.core.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a folder, so two UNet3+ runs never write into one folder at the same time.
 * It is an operating-system lock on the hidden file {@value #FILE_NAME} in the folder: a crashed or
 * killed ({@code kill -9}) process loses it with its life, so no stale lock ever blocks a later run.
 * The lock also refuses a second holder inside the same JVM.
 *
 * <p>The lock file holds one line naming the process that holds it. It is deleted when the lock is
 * closed, so a finished run leaves no trace; a killed run leaves it behind, and the next run takes it
 * over. Its name starts with a dot, so no command mistakes it for a volume or an output.
 *
 * <p>NB: the lock is advisory; it guards against other UNet3+ runs, not against other programs.
 * Do not open the lock file while holding the lock: on POSIX systems closing any descriptor of a
 * process on that file releases the process's lock.
 */
public final class FolderLock implements AutoCloseable {

	/** Name of the lock file inside the locked folder. */
	public static final String FILE_NAME = ".unet3p.lock";

	private static final int ATTEMPTS = 16;
	/** Stands for the identity of a file on a file system without file keys (the name is trusted there). */
	private static final Object NO_KEY = new Object();
	/** Lock files held by this JVM. */
	private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

	private final Path file;
	private final FileChannel channel;
	private final FileLock lock;
	/** Whether close may delete the file: only where files have keys, so a replaced file is noticed. */
	private final boolean deletable;

	private FolderLock(final Path file, final FileChannel channel, final FileLock lock, final boolean deletable) {
		this.file = file;
		this.channel = channel;
		this.lock = lock;
		this.deletable = deletable;
	}

	/**
	 * Takes the lock on {@code folder} (created if missing), or refuses when another run holds it.
	 *
	 * @throws InvalidInputException naming the folder when another UNet3+ run holds the lock, or when
	 *             the folder cannot be created or the lock file not written
	 */
	public static FolderLock acquire(final Path folder) {
		return acquire(folder, "Another UNet3+ run is writing into " + folder + "; wait for it to finish or choose another output folder.");
	}

	/**
	 * Takes the lock on {@code folder} (created if missing), or throws an
	 * {@link InvalidInputException} with {@code refusal} when another run holds it.
	 *
	 * @throws InvalidInputException with {@code refusal} when the lock is held, or naming the folder
	 *             when it cannot be created or the lock file not written
	 */
	public static FolderLock acquire(final Path folder, final String refusal) {
		Objects.requireNonNull(refusal, "refusal");
		final Path file;
		try {
			file = Files.createDirectories(folder).toRealPath().resolve(FILE_NAME);
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot create folder " + folder + " for writing: " + e.getMessage(), e);
		}
		// NB: POSIX drops all of a process's locks on a file when any of its descriptors on that file
		// is closed, so a second holder in this JVM must be refused without opening the file.
		if (!HELD.add(file)) throw new InvalidInputException(refusal);
		try {
			final FolderLock lock = lock(file, refusal);
			if (lock != null) return lock;
		}
		catch (final IOException e) {
			HELD.remove(file);
			throw new InvalidInputException("Cannot lock folder " + folder + " (lock file " + FILE_NAME + "): " + e.getMessage(), e);
		}
		catch (final RuntimeException e) {
			HELD.remove(file);
			throw e;
		}
		HELD.remove(file);
		throw new InvalidInputException(refusal);
	}

	/**
	 * Locks {@code file}; null when it kept being replaced. NB: a closing holder deletes the file
	 * while it still holds the lock. A run that opened the old file just before may then lock a file
	 * that no longer has the name (while a third run holds a new file of that name). So the file the
	 * name points to is identified (without opening it) before opening and again after locking, and
	 * the lock counts only if it is the same file both times.
	 */
	private static FolderLock lock(final Path file, final String refusal) throws IOException {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			final Object before = key(file);
			if (before == null) {
				FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
				continue;
			}
			final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			try {
				final FileLock lock;
				try {
					lock = channel.tryLock();
				}
				catch (final OverlappingFileLockException e) {
					throw new InvalidInputException(refusal);
				}
				if (lock == null) throw new InvalidInputException(refusal);
				if (before.equals(key(file)) || before == NO_KEY) {
					final byte[] holder = String.format(Locale.ROOT, "UNet3+ process %d, since %s%n", ProcessHandle.current().pid(), Instant.now())
							.getBytes(StandardCharsets.UTF_8);
					channel.truncate(0);
					channel.write(ByteBuffer.wrap(holder), 0);
					return new FolderLock(file, channel, lock, before != NO_KEY);
				}
			}
			catch (final IOException | RuntimeException e) {
				channel.close();
				throw e;
			}
			channel.close();
		}
		return null;
	}

	/** The identity of the file {@code file} names (read without opening it); null when there is none. */
	private static Object key(final Path file) throws IOException {
		try {
			final Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
			return key != null ? key : NO_KEY;
		}
		catch (final NoSuchFileException e) {
			return null;
		}
	}

	/** The lock file (inside the locked folder). */
	public Path file() {
		return file;
	}

	/**
	 * Deletes the lock file and releases the lock; does nothing when already closed.
	 *
	 * @throws UncheckedIOException if the lock file cannot be closed
	 */
	@Override
	public void close() {
		if (!channel.isOpen()) return;
		try {
			try {
				if (deletable) Files.deleteIfExists(file);
			}
			finally {
				try {
					lock.release();
					channel.close();
				}
				finally {
					HELD.remove(file);
				}
			}
		}
		catch (final IOException e) {
			throw new UncheckedIOException("Cannot release the lock " + file + ": " + e.getMessage(), e);
		}
	}
}
