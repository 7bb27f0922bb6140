package io.github.unet3p.core.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that no reader ever sees a half-written one: the content goes to a hidden
 * temporary file beside the target, which is renamed onto the target only once complete.
 */
public final class AtomicFiles {

	private AtomicFiles() {}

	/** Writes the bytes {@code writer} produces to {@code target}, atomically. */
	public static void write(final Path target, final StreamWriter writer) throws IOException {
		final Path dir = target.toAbsolutePath().getParent();
		if (dir != null) Files.createDirectories(dir);
		final Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
		try {
			try (OutputStream out = Files.newOutputStream(tmp)) {
				writer.write(out);
			}
			readableByAll(tmp);
			move(tmp, target);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	/**
	 * NB: temporary files are created owner-only (0600); a finished output gets the usual
	 * rw-r--r-- so colleagues and viewers can open it.
	 */
	private static void readableByAll(final Path file) throws IOException {
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix"))
			Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
	}

	/** Writes {@code bytes} to {@code target}, atomically. */
	public static void write(final Path target, final byte[] bytes) throws IOException {
		write(target, out -> out.write(bytes));
	}

	/** Renames {@code source} onto {@code target}, atomically where the file system allows it. */
	public static void move(final Path source, final Path target) throws IOException {
		try {
			Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (final AtomicMoveNotSupportedException e) {
			Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * Deletes the temporary files that {@link #write} calls for {@code target} left behind when their
	 * process was killed; returns how many were deleted. Only call it while no other process can be
	 * writing {@code target} (for example under a {@link FolderLock} on its folder).
	 */
	public static int deleteLeftovers(final Path target) throws IOException {
		final Path dir = target.toAbsolutePath().getParent();
		if (dir == null || !Files.isDirectory(dir)) return 0;
		final String name = target.getFileName().toString();
		int deleted = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> isTemporaryOf(f.getFileName().toString(), name))) {
			for (final Path f : files)
				if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f)) deleted++;
		}
		return deleted;
	}

	/**
	 * Whether the file name {@code candidate} is a temporary file of a write to a file named
	 * {@code target} in the same folder: {@code .<target>.<anything>.part}. Doors that write through
	 * another file system (Spark's Hadoop file systems) name their temporary files so too, so one rule
	 * finds what a killed writer left.
	 */
	public static boolean isTemporaryOf(final String candidate, final String target) {
		final String prefix = "." + target + ".";
		return candidate.startsWith(prefix) && candidate.endsWith(".part") && candidate.length() > prefix.length() + ".part".length();
	}

	/** Produces a file's content onto a stream. */
	@FunctionalInterface
	public interface StreamWriter {

		/** Writes the whole content to {@code out}; the caller closes it. */
		void write(OutputStream out) throws IOException;
	}
}
