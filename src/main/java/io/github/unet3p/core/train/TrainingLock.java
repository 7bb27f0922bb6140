package io.github.unet3p.core.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * An exclusive lock on a model's training folder, so two runs never write into one model. It is
 * an operating-system file lock: a crashed or killed run releases it with its process, so no stale
 * lock ever blocks a later run.
 */
final class TrainingLock implements AutoCloseable {

	private final FileChannel channel;
	private final FileLock lock;

	private TrainingLock(final FileChannel channel, final FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	/** Takes the lock on {@code dir}, or refuses with a message when another run holds it. */
	static TrainingLock acquire(final Path dir) throws IOException {
		final Path file = dir.resolve(".lock");
		final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
		FileLock lock = null;
		try {
			lock = channel.tryLock();
		}
		catch (final OverlappingFileLockException e) {
			lock = null;
		}
		if (lock == null) {
			channel.close();
			throw new InvalidInputException("Another training run is writing into " + dir.getParent() + "; wait for it or choose another model folder.");
		}
		return new TrainingLock(channel, lock);
	}

	@Override
	public void close() throws IOException {
		lock.release();
		channel.close();
	}
}
