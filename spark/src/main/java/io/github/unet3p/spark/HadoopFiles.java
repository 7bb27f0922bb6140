package io.github.unet3p.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import io.github.unet3p.core.util.AtomicFiles;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * Files on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}, ...) as the core
 * needs them: a local copy to read (the core reads {@link java.nio.file.Path}s), and atomic
 * publication of a finished local file.
 *
 * <p>NB: the local file system is used raw (no {@code .crc} side files), so outputs on a local disk
 * are exactly the files {@code UNet3+ Segment Files} writes.
 */
final class HadoopFiles {

	private HadoopFiles() {}

	/** The file system of {@code path}; the local one without checksum files. */
	static FileSystem fileSystem(final Path path, final Configuration conf) throws IOException {
		final FileSystem fs = path.getFileSystem(conf);
		return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
	}

	/** {@code text} (a local path, relative to the working folder, or a URI) fully qualified. */
	static Path qualified(final String text, final Configuration conf) throws IOException {
		final Path p = new Path(text);
		return fileSystem(p, conf).makeQualified(p);
	}

	/** Whether {@code path} is on the local file system ({@code file:}). */
	static boolean isLocal(final Path path) {
		return "file".equals(path.toUri().getScheme());
	}

	/** The local {@link java.nio.file.Path} of a {@code file:} path. */
	static java.nio.file.Path local(final Path path) {
		return java.nio.file.Path.of(path.toUri());
	}

	/** The status of {@code path}, or null when it does not exist. */
	static FileStatus status(final Path path, final Configuration conf) throws IOException {
		try {
			return fileSystem(path, conf).getFileStatus(path);
		}
		catch (final FileNotFoundException e) {
			return null;
		}
	}

	/** The regular files directly in the folder {@code folder}, by name. */
	static List<FileStatus> files(final Path folder, final Configuration conf) throws IOException {
		final List<FileStatus> files = new ArrayList<>();
		for (final FileStatus s : fileSystem(folder, conf).listStatus(folder))
			if (s.isFile()) files.add(s);
		files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
		return files;
	}

	/**
	 * A local path holding {@code path} (a file or a folder): the file itself when it is on the local
	 * file system, else a copy made under {@code scratch}.
	 */
	static java.nio.file.Path readable(final Path path, final Configuration conf, final java.nio.file.Path scratch) throws IOException {
		if (isLocal(path)) return local(path);
		final java.nio.file.Path copy = scratch.resolve(path.getName());
		Files.createDirectories(scratch);
		path.getFileSystem(conf).copyToLocalFile(false, path, new Path(copy.toUri()), true);
		return copy;
	}

	/**
	 * Publishes the local file {@code local} as {@code target}, atomically: copied to a temporary
	 * file beside the target, {@code .<name>.<tag>.part} (the name {@link AtomicFiles} gives its own
	 * temporary files, so one rule finds what a killed writer left), then renamed onto it. A reader
	 * sees no file or the whole file, never a part of it.
	 *
	 * <p>NB: HDFS renames atomically; on object stores (s3a) a rename is a copy made visible at once
	 * when it completes, so the target still never appears half-written. An existing target is
	 * replaced (deleted just before the rename where the file system will not rename onto it).
	 *
	 * @param tag what makes the temporary name unique to this writer (the task attempt)
	 */
	static void publish(final java.nio.file.Path local, final Path target, final Configuration conf, final String tag) throws IOException {
		final FileSystem fs = fileSystem(target, conf);
		final Path tmp = temporary(target, tag);
		fs.mkdirs(target.getParent());
		try {
			try (InputStream in = Files.newInputStream(local); OutputStream out = fs.create(tmp, true)) {
				in.transferTo(out);
			}
			rename(fs, tmp, target);
		}
		finally {
			if (fs.exists(tmp)) fs.delete(tmp, false);
		}
	}

	/** Writes {@code bytes} to {@code target} atomically, as {@link #publish} does. */
	static void publish(final byte[] bytes, final Path target, final Configuration conf, final String tag) throws IOException {
		final FileSystem fs = fileSystem(target, conf);
		final Path tmp = temporary(target, tag);
		fs.mkdirs(target.getParent());
		try {
			try (OutputStream out = fs.create(tmp, true)) {
				out.write(bytes);
			}
			rename(fs, tmp, target);
		}
		finally {
			if (fs.exists(tmp)) fs.delete(tmp, false);
		}
	}

	/** The temporary file a writer tagged {@code tag} uses for {@code target}. */
	static Path temporary(final Path target, final String tag) {
		return new Path(target.getParent(), "." + target.getName() + "." + tag + ".part");
	}

	private static void rename(final FileSystem fs, final Path from, final Path to) throws IOException {
		if (fs.rename(from, to)) return;
		if (fs.exists(to) && fs.delete(to, false) && fs.rename(from, to)) return;
		throw new IOException("cannot rename " + from + " to " + to);
	}

	/**
	 * Deletes the temporary files that writers killed while publishing {@code targets} left beside
	 * them; returns how many. Only call it while no writer of these targets runs.
	 */
	static int deleteLeftovers(final List<Path> targets, final Configuration conf) throws IOException {
		int deleted = 0;
		final java.util.Map<Path, List<FileStatus>> listings = new java.util.HashMap<>();
		for (final Path t : targets) {
			final Path dir = t.getParent();
			final FileSystem fs = fileSystem(dir, conf);
			if (!listings.containsKey(dir)) listings.put(dir, fs.exists(dir) ? List.of(fs.listStatus(dir)) : List.of());
			for (final FileStatus s : listings.get(dir))
				if (s.isFile() && AtomicFiles.isTemporaryOf(s.getPath().getName(), t.getName()) && fs.delete(s.getPath(), false)) deleted++;
		}
		return deleted;
	}

	/** Deletes the local folder {@code root} with everything in it (a task's scratch folder). */
	static void deleteTree(final java.nio.file.Path root) throws IOException {
		try (java.util.stream.Stream<java.nio.file.Path> all = Files.walk(root)) {
			for (final java.nio.file.Path p : all.sorted(java.util.Comparator.reverseOrder()).toList())
				Files.deleteIfExists(p);
		}
	}

	/** Wraps an I/O failure on {@code what} as a message a user can act on. */
	static InvalidInputException failure(final String what, final IOException e) {
		return new InvalidInputException("Cannot " + what + ": " + e.getMessage(), e);
	}
}
