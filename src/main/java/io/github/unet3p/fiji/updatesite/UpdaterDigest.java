package io.github.unet3p.fiji.updatesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The checksum the ImageJ updater records for a file and compares with the installed copy
 * (its {@code UpdaterUtil.getDigest(path, file)}), as lowercase hex SHA-1:
 * <ul>
 * <li>any file but a jar: SHA-1 of the file's path on the site (ASCII, e.g.
 * {@code macros/demo.ijm}) followed by its bytes;</li>
 * <li>a {@code .jar}: SHA-1 over its entries sorted by name (Java string order, directories
 * included), each contributing its name (ASCII) then its content, where
 * <ul>
 * <li>{@code META-INF/MANIFEST.MF} contributes no content (see below), and</li>
 * <li>every {@code *.properties} entry contributes its content without comment lines (see
 * {@link #withoutCommentLines}), so the build date Maven writes into {@code pom.properties}
 * does not change the checksum.</li>
 * </ul>
 * </li>
 * </ul>
 *
 * <p>NB: the updater's current digest keeps only {@code Main-Class} lines of the manifest, but
 * tests them case-sensitively against the upper-cased line, so no line ever survives: the
 * manifest's content never counts. Reproduced as is, since the installed copy is checked with the
 * same code; "fixing" it here would make every file look locally modified.
 */
public final class UpdaterDigest {

	private static final String MANIFEST = "META-INF/MANIFEST.MF";

	private UpdaterDigest() {}

	/** The updater's checksum of {@code file} stored at {@code sitePath} ({@code /}-separated). */
	public static String of(final String sitePath, final Path file) throws IOException {
		return sitePath.endsWith(".jar") ? jar(file) : plain(sitePath, file);
	}

	/** SHA-1 of {@code sitePath} (ASCII) followed by the file's bytes. */
	public static String plain(final String sitePath, final Path file) throws IOException {
		final MessageDigest sha1 = sha1();
		sha1.update(sitePath.getBytes(StandardCharsets.US_ASCII));
		try (InputStream in = Files.newInputStream(file)) {
			feed(in, sha1);
		}
		return HexFormat.of().formatHex(sha1.digest());
	}

	/** The updater's filtered digest of a jar's sorted entries. */
	public static String jar(final Path jar) throws IOException {
		final MessageDigest sha1 = sha1();
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			final List<ZipEntry> entries = new ArrayList<>();
			for (final Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();)
				entries.add(e.nextElement());
			entries.sort((a, b) -> a.getName().compareTo(b.getName()));
			for (final ZipEntry entry : entries) {
				final String name = entry.getName();
				sha1.update(name.getBytes(StandardCharsets.US_ASCII));
				if (name.equals(MANIFEST)) continue;
				try (InputStream in = zip.getInputStream(entry)) {
					if (name.endsWith(".properties")) sha1.update(withoutCommentLines(in.readAllBytes()));
					else feed(in, sha1);
				}
			}
		}
		return HexFormat.of().formatHex(sha1.digest());
	}

	/**
	 * A properties file as the updater digests it: a line starting with {@code #} is reduced to
	 * its line feed. Exactly, byte by byte: the stream starts at a line start; a line feed read
	 * away from a line start makes the next byte a line start; any other byte read at a line start
	 * (a line feed too) ends the line start. A {@code #} at a line start opens a comment: it and
	 * the {@code #}s right after it are dropped; if the next byte is a line feed, it is kept and is
	 * not followed by a line start; otherwise the comment runs to the next line feed, which is kept
	 * and followed by a line start, or to the end. Carriage returns are ordinary bytes.
	 */
	static byte[] withoutCommentLines(final byte[] in) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		boolean lineStart = true;
		int i = 0;
		while (i < in.length) {
			final int c = in[i++] & 0xff;
			if (!lineStart) {
				lineStart = c == '\n';
				out.write(c);
				continue;
			}
			if (c != '#') {
				// NB: the updater clears the line-start flag on any first byte, even a line feed.
				lineStart = false;
				out.write(c);
				continue;
			}
			while (i < in.length && in[i] == '#')
				i++;
			if (i == in.length) break;
			if (in[i] == '\n') {
				out.write('\n');
				i++;
				lineStart = false;
				continue;
			}
			while (i < in.length && in[i] != '\n')
				i++;
			if (i == in.length) break;
			out.write('\n');
			i++;
			lineStart = true;
		}
		return out.toByteArray();
	}

	private static void feed(final InputStream in, final MessageDigest sha1) throws IOException {
		final byte[] buffer = new byte[1 << 16];
		for (int n; (n = in.read(buffer)) >= 0;)
			sha1.update(buffer, 0, n);
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("this JVM has no SHA-1", e);
		}
	}
}
