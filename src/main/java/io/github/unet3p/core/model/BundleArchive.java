package io.github.unet3p.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * A model bundle opened for reading: a bundle folder as it is, or a {@code .zip} of one extracted
 * into a private temporary folder that {@link #close()} deletes. Read it with {@link #read()} and
 * {@link #loadNetwork} (or {@link ModelBundle#read} on {@link #folder()}) while this is open; the
 * weights live in memory afterwards, so it can be closed as soon as they are loaded:
 *
 * <pre>
 * try (BundleArchive archive = BundleArchive.open(path)) {
 * 	final ModelBundle bundle = archive.read();
 * 	final UNet3PlusNet net = archive.loadNetwork(bundle, manager);
 * }
 * </pre>
 *
 * <p>A zip is untrusted data. Before anything is written, its central directory is checked: at
 * most {@value #MAX_ENTRIES} entries, no entry that is a symbolic link, an absolute path, or has a
 * {@code ..} segment or a backslash, declared sizes adding up to at most {@link #MAX_TOTAL_BYTES}
 * and fitting the temporary folder's free space. While extracting, every entry is cut off at its
 * declared size and at {@value #MAX_RATIO}× its compressed size (whichever the zip says, the
 * bytes that arrive decide). Only {@value ModelBundle#SPEC_FILE}, {@value ModelBundle#WEIGHTS_FILE},
 * files under {@code training/} and a bioimage.io package's {@value ModelBundle#PACKAGE_FILE} are
 * extracted (a package made by UNet3+ Export carries the bundle beside its description, so it is
 * read as that bundle); other entries (a {@code __MACOSX/} folder, a
 * {@code .DS_Store}) are skipped. A zip whose entries all sit in one top folder
 * ({@code my-model/unet3p.json}) is read from that folder.
 *
 * <p>NB: no path from inside the bundle is ever used to open a file: the files are found by their
 * fixed names, so neither a zip entry nor a field of the spec can point outside the bundle.
 */
public final class BundleArchive implements AutoCloseable {

	/** Largest total uncompressed size of the extracted entries (4 GiB). */
	public static final long MAX_TOTAL_BYTES = 4L << 30;
	/** Largest number of entries in a bundle zip. */
	public static final int MAX_ENTRIES = 10_000;
	/** Largest uncompressed/compressed ratio of an entry beyond its first {@value #RATIO_FREE_BYTES} bytes. */
	public static final int MAX_RATIO = 200;
	/** Bytes of an entry extracted before the ratio limit applies (small files compress well). */
	public static final long RATIO_FREE_BYTES = 1 << 20;

	private static final String TRAINING = "training/";

	private final Path source;
	private final Path folder;
	private final Path temporary;

	private BundleArchive(final Path source, final Path folder, final Path temporary) {
		this.source = source;
		this.folder = folder;
		this.temporary = temporary;
	}

	/**
	 * Opens the bundle at {@code path}: a folder, or a {@code .zip} file of one.
	 *
	 * @throws InvalidInputException naming the file when it does not exist, is neither a folder
	 *           nor a zip, or the zip is malformed, too large, or has an entry that could escape
	 *           the extraction folder
	 */
	public static BundleArchive open(final Path path) {
		if (Files.isDirectory(path)) return new BundleArchive(path, path, null);
		if (!Files.exists(path)) throw new InvalidInputException("Model " + path + " does not exist (expected a model folder or a .zip of one).");
		if (!isZip(path))
			throw new InvalidInputException("Model " + path + " is neither a folder nor a zip file (a UNet3+ model is a folder with " + ModelBundle.SPEC_FILE
					+ " and " + ModelBundle.WEIGHTS_FILE + ", or a .zip of that folder).");
		final List<CentralEntry> central = centralDirectory(path);
		final Path temp;
		try {
			temp = Files.createTempDirectory("unet3p-bundle-");
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot create a temporary folder to unpack " + path + ": " + e.getMessage(), e);
		}
		try {
			final Path root = extract(path, central, temp);
			return new BundleArchive(path, root, temp);
		}
		catch (final RuntimeException | Error e) {
			deleteTree(temp);
			throw e;
		}
	}

	/** The folder to read the bundle from. */
	public Path folder() {
		return folder;
	}

	/** The path the bundle was opened from (the folder or the zip). */
	public Path source() {
		return source;
	}

	/**
	 * Reads the bundle's spec ({@link ModelBundle#read}); messages name the zip
	 * ({@code model.zip!/unet3p.json}), not the temporary copy.
	 *
	 * @throws InvalidInputException see {@link ModelBundle#read}
	 */
	public ModelBundle read() {
		try {
			return ModelBundle.read(folder);
		}
		catch (final InvalidInputException e) {
			throw relabel(e);
		}
	}

	/**
	 * Builds the network of {@code bundle} on {@code manager} and loads this bundle's weights
	 * ({@link ModelBundle#loadNetwork}); messages name the zip, not the temporary copy.
	 *
	 * @throws InvalidInputException see {@link ModelBundle#loadNetwork}
	 */
	public UNet3PlusNet loadNetwork(final ModelBundle bundle, final ai.djl.ndarray.NDManager manager) {
		try {
			return bundle.loadNetwork(folder, manager);
		}
		catch (final InvalidInputException e) {
			throw relabel(e);
		}
	}

	private InvalidInputException relabel(final InvalidInputException e) {
		if (temporary == null || e.getMessage() == null) return e;
		return new InvalidInputException(e.getMessage().replace(folder + java.io.File.separator, source + "!/").replace(folder.toString(), source + "!"), e);
	}

	/** Whether the bundle came from a zip (and {@link #folder()} is a temporary copy). */
	public boolean extracted() {
		return temporary != null;
	}

	/** Deletes the temporary folder of an extracted zip; nothing for a folder bundle. */
	@Override
	public void close() {
		if (temporary != null) deleteTree(temporary);
	}

	// ---- checks on the central directory --------------------------------------------------------

	/** One record of the zip's central directory: the fields the checks need. */
	private record CentralEntry(String name, long compressed, long size, int hostSystem, int externalAttributes) {

		boolean isSymbolicLink() {
			return hostSystem == 3 && (externalAttributes >>> 16 & 0170000) == 0120000; // Unix S_IFLNK
		}
	}

	private static boolean isZip(final Path path) {
		try (InputStream in = Files.newInputStream(path)) {
			final byte[] magic = in.readNBytes(4);
			return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read model " + path + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Reads and checks the central directory without decompressing anything.
	 *
	 * <p>NB: parsed here rather than through {@link ZipFile} because ZipFile does not expose the
	 * Unix file type, which is how a zip marks a symbolic link.
	 */
	private static List<CentralEntry> centralDirectory(final Path zip) {
		try (SeekableByteChannel ch = Files.newByteChannel(zip, StandardOpenOption.READ)) {
			final long size = ch.size();
			final int tail = (int) Math.min(size, 22 + 0xFFFF);
			final ByteBuffer end = read(ch, size - tail, tail);
			int eocd = -1;
			for (int i = tail - 22; i >= 0; i--)
				if (end.getInt(i) == 0x06054b50) {
					eocd = i;
					break;
				}
			if (eocd < 0) throw bad(zip, "it has no zip central directory (truncated or not a zip)");
			final int count = end.getShort(eocd + 10) & 0xffff;
			final long cdSize = end.getInt(eocd + 12) & 0xffffffffL, cdOffset = end.getInt(eocd + 16) & 0xffffffffL;
			if (count == 0xffff || cdOffset == 0xffffffffL || cdSize == 0xffffffffL)
				throw bad(zip, "it is a ZIP64 archive (more than 65535 entries or 4 GiB); a model bundle is far smaller");
			if (count > MAX_ENTRIES) throw bad(zip, "it has " + count + " entries; a model bundle has at most " + MAX_ENTRIES);
			if (cdOffset + cdSize > size) throw bad(zip, "its central directory lies beyond the end of the file (truncated?)");
			final ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
			final List<CentralEntry> entries = new ArrayList<>(count);
			int at = 0;
			for (int n = 0; n < count; n++) {
				if (at + 46 > cdSize || cd.getInt(at) != 0x02014b50) throw bad(zip, "its central directory is damaged");
				final int host = (cd.getShort(at + 4) & 0xffff) >>> 8;
				final long compressed = cd.getInt(at + 20) & 0xffffffffL, uncompressed = cd.getInt(at + 24) & 0xffffffffL;
				final int nameLength = cd.getShort(at + 28) & 0xffff, extra = cd.getShort(at + 30) & 0xffff, comment = cd.getShort(at + 32) & 0xffff;
				final int attributes = cd.getInt(at + 38);
				if (at + 46 + nameLength > cdSize) throw bad(zip, "its central directory is damaged");
				final byte[] name = new byte[nameLength];
				cd.get(at + 46, name);
				entries.add(new CentralEntry(new String(name, StandardCharsets.UTF_8), compressed, uncompressed, host, attributes));
				at += 46 + nameLength + extra + comment;
			}
			final String prefix = topFolder(entries);
			long total = 0;
			for (final CentralEntry e : entries) {
				checkName(zip, e.name());
				if (e.isSymbolicLink()) throw bad(zip, "entry '" + e.name() + "' is a symbolic link; a model bundle holds plain files only");
				if (e.size() == 0xffffffffL || e.compressed() == 0xffffffffL) throw bad(zip, "entry '" + e.name() + "' is a ZIP64 entry (4 GiB or more)");
				if (wanted(e.name(), prefix)) total += e.size();
			}
			if (total > MAX_TOTAL_BYTES)
				throw bad(zip, String.format(Locale.ROOT, "it declares %.1f GiB of content; a model bundle is at most %d GiB", total / (double) (1L << 30),
						MAX_TOTAL_BYTES >> 30));
			return entries;
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot read model " + zip + ": " + e.getMessage(), e);
		}
	}

	private static ByteBuffer read(final SeekableByteChannel ch, final long position, final int length) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
		ch.position(position);
		while (b.hasRemaining())
			if (ch.read(b) < 0) throw new IOException("unexpected end of file");
		return b.flip();
	}

	/** Refuses names that could land outside the extraction folder. */
	private static void checkName(final Path zip, final String name) {
		if (name.isEmpty() || name.indexOf('\0') >= 0) throw bad(zip, "it has an entry with an empty or invalid name");
		if (name.startsWith("/") || name.contains("\\") || name.length() > 1 && name.charAt(1) == ':')
			throw bad(zip, "entry '" + name + "' has an absolute path or a backslash; bundle entries are relative paths");
		for (final String segment : name.split("/"))
			if (segment.equals("..")) throw bad(zip, "entry '" + name + "' points outside the bundle ('..')");
	}

	/** The one folder every entry sits in, with a trailing slash, or "" when there is none. */
	private static String topFolder(final List<CentralEntry> entries) {
		String top = null;
		for (final CentralEntry e : entries) {
			final int slash = e.name().indexOf('/');
			if (slash < 0) return "";
			final String first = e.name().substring(0, slash + 1);
			if (first.equals("__MACOSX/")) continue;
			if (top == null) top = first;
			else if (!top.equals(first)) return "";
		}
		return top == null || top.equals(TRAINING) ? "" : top;
	}

	/** Whether {@code name}, below {@code prefix}, is a file a bundle holds. */
	private static boolean wanted(final String name, final String prefix) {
		if (!name.startsWith(prefix) || name.endsWith("/")) return false;
		final String rest = name.substring(prefix.length());
		return rest.equals(ModelBundle.SPEC_FILE) || rest.equals(ModelBundle.WEIGHTS_FILE) || rest.equals(ModelBundle.PACKAGE_FILE)
				|| rest.startsWith(TRAINING) && rest.length() > TRAINING.length();
	}

	// ---- extraction -------------------------------------------------------------------------------

	private static Path extract(final Path zip, final List<CentralEntry> central, final Path temp) {
		final String prefix = topFolder(central);
		long declared = 0;
		for (final CentralEntry e : central)
			if (wanted(e.name(), prefix)) declared += e.size();
		try {
			final long free = Files.getFileStore(temp).getUsableSpace();
			if (declared > free)
				throw bad(zip, String.format(Locale.ROOT, "unpacking needs %.1f MiB but the temporary folder %s has %.1f MiB free", declared / 1048576.0, temp,
						free / 1048576.0));
		}
		catch (final IOException e) {
			// no free-space figure: the size limit and the write itself still guard
		}
		final Path root = temp.resolve("bundle");
		try (ZipFile file = new ZipFile(zip.toFile())) {
			Files.createDirectories(root);
			final Enumeration<? extends ZipEntry> entries = file.entries();
			long total = 0;
			int seen = 0;
			while (entries.hasMoreElements()) {
				final ZipEntry entry = entries.nextElement();
				if (++seen > MAX_ENTRIES) throw bad(zip, "it has more than " + MAX_ENTRIES + " entries");
				checkName(zip, entry.getName());
				if (!wanted(entry.getName(), prefix)) continue;
				final Path target = root.resolve(entry.getName().substring(prefix.length())).normalize();
				if (!target.startsWith(root)) throw bad(zip, "entry '" + entry.getName() + "' points outside the bundle");
				Files.createDirectories(target.getParent());
				total += copy(zip, file, entry, target, MAX_TOTAL_BYTES - total);
			}
		}
		catch (final FileAlreadyExistsException e) {
			throw bad(zip, "it holds " + root.relativize(Path.of(e.getFile())) + " twice");
		}
		catch (final ZipException e) {
			throw bad(zip, "it is not a valid zip (" + e.getMessage() + ")");
		}
		catch (final IOException e) {
			throw new InvalidInputException("Cannot unpack model " + zip + " into " + temp + ": " + e.getMessage(), e);
		}
		if (!Files.isRegularFile(root.resolve(ModelBundle.SPEC_FILE)))
			throw bad(zip, "it holds no " + ModelBundle.SPEC_FILE + (prefix.isEmpty() ? "" : " in " + prefix) + "; is it a zip of a UNet3+ model folder?");
		return root;
	}

	/** Copies one entry, stopping at its declared size, the ratio limit and {@code budget}; returns the bytes written. */
	private static long copy(final Path zip, final ZipFile file, final ZipEntry entry, final Path target, final long budget) throws IOException {
		final long declared = entry.getSize();
		final long compressed = Math.max(1, entry.getCompressedSize());
		final long ratioLimit = RATIO_FREE_BYTES + compressed * MAX_RATIO;
		final long limit = Math.min(budget, Math.min(declared < 0 ? Long.MAX_VALUE : declared, ratioLimit));
		long written = 0;
		try (InputStream in = file.getInputStream(entry); OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
			final byte[] buffer = new byte[1 << 16];
			for (int n; (n = in.read(buffer)) > 0;) {
				written += n;
				if (written > limit) {
					if (written > budget) throw bad(zip, "its content exceeds " + (MAX_TOTAL_BYTES >> 30) + " GiB");
					if (declared >= 0 && written > declared)
						throw bad(zip, "entry '" + entry.getName() + "' holds more than the " + declared + " bytes it declares");
					throw bad(zip, "entry '" + entry.getName() + "' expands more than " + MAX_RATIO + "× (a zip bomb?)");
				}
				out.write(buffer, 0, n);
			}
		}
		return written;
	}

	private static InvalidInputException bad(final Path zip, final String why) {
		return new InvalidInputException("Model " + zip + " cannot be opened: " + why + ".");
	}

	private static void deleteTree(final Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			for (final Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
		}
		catch (final IOException e) {
			// best effort: a temporary folder the system will clear
		}
	}
}
