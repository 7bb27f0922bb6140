package io.github.unet3p.core.volume.tiff;

import static io.github.unet3p.core.volume.tiff.TiffTags.NEW_SUBFILE_TYPE;
import static io.github.unet3p.core.volume.tiff.TiffTags.TYPE_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * An open classic TIFF file: its byte order, its chain of image file directories, and bounded reads
 * of its bytes. Every problem is an {@link InvalidInputException} naming the file.
 */
final class TiffFile implements AutoCloseable {

	/** Largest tag value the reader loads (a description, an offsets table). */
	private static final long MAX_TAG_BYTES = 256L << 20;
	private static final int MAX_PAGES = 1_000_000;

	private final Path file;
	private final FileChannel channel;
	private final long size;
	private ByteOrder order;

	TiffFile(final Path file) throws IOException {
		this.file = file;
		this.channel = FileChannel.open(file);
		this.size = channel.size();
	}

	@Override
	public void close() throws IOException {
		channel.close();
	}

	Path path() {
		return file;
	}

	long size() {
		return size;
	}

	ByteOrder order() {
		return order;
	}

	/** Checks the header and returns the full-resolution directories in file order (thumbnails skipped). */
	List<TiffIfd> fullResolutionDirectories() throws IOException {
		if (size < 8) throw bad("is too short to be a TIFF (" + size + " bytes)");
		final ByteBuffer head = bytes(0, 8);
		final String magic = new String(head.array(), 0, 2, StandardCharsets.US_ASCII);
		if (magic.equals("II")) order = ByteOrder.LITTLE_ENDIAN;
		else if (magic.equals("MM")) order = ByteOrder.BIG_ENDIAN;
		else throw bad("is not a TIFF (it does not start with II or MM)");
		head.order(order);
		final int version = head.getShort(2) & 0xFFFF;
		if (version == 43) throw bad("is a BigTIFF; only classic TIFF (files under 4 GB) is supported");
		if (version != 42) throw bad("is not a TIFF (version " + version + ", expected 42)");

		final List<TiffIfd> ifds = new ArrayList<>();
		final Set<Long> seen = new HashSet<>();
		long offset = head.getInt(4) & 0xFFFFFFFFL;
		while (offset != 0) {
			if (!seen.add(offset)) throw bad("is corrupt: its list of pages loops back to byte " + offset);
			if (seen.size() > MAX_PAGES) throw bad("has more than " + MAX_PAGES + " pages");
			final TiffIfd ifd = ifd(offset);
			if ((ifd.integer(NEW_SUBFILE_TYPE, 0) & 1) == 0) ifds.add(ifd); // skip thumbnails / reduced resolution
			offset = ifd.next;
		}
		if (ifds.isEmpty()) throw bad("has no full-resolution image");
		return ifds;
	}

	/** Reads one image file directory at {@code offset}. */
	private TiffIfd ifd(final long offset) throws IOException {
		if (offset < 8 || offset + 2 > size) throw bad("is truncated: a page directory should be at byte " + offset + ", the file has " + size + " bytes");
		final int entries = bytes(offset, 2).getShort(0) & 0xFFFF;
		final long end = offset + 2 + 12L * entries + 4;
		if (end > size) throw bad("is truncated: the page directory at byte " + offset + " runs past the end of the file");
		final ByteBuffer b = bytes(offset + 2, 12 * entries + 4);
		final TiffIfd ifd = new TiffIfd(this);
		for (int e = 0; e < entries; e++) {
			final int at = 12 * e;
			final int tag = b.getShort(at) & 0xFFFF, type = b.getShort(at + 2) & 0xFFFF;
			final long count = b.getInt(at + 4) & 0xFFFFFFFFL;
			if (type < 1 || type >= TYPE_SIZE.length) continue; // unknown types are skipped, as TIFF 6.0 asks
			final long bytes = count * TYPE_SIZE[type];
			if (bytes > MAX_TAG_BYTES) throw bad("has an absurd tag " + tag + " with " + count + " values");
			final ByteBuffer value;
			if (bytes <= 4) value = ByteBuffer.wrap(b.array(), at + 8, 4).slice().order(order);
			else {
				final long at2 = b.getInt(at + 8) & 0xFFFFFFFFL;
				if (at2 + bytes > size) throw bad("is truncated: tag " + tag + " points to bytes " + at2 + "…" + (at2 + bytes) + ", the file has " + size);
				value = bytes(at2, (int) bytes);
			}
			ifd.entries.put(tag, new TiffIfd.Entry(type, (int) count, value));
		}
		ifd.next = b.getInt(12 * entries) & 0xFFFFFFFFL;
		return ifd;
	}

	/** {@code length} bytes from {@code offset}, in the file's byte order (little-endian before it is known). */
	ByteBuffer bytes(final long offset, final int length) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(length);
		while (b.hasRemaining()) {
			final int n = channel.read(b, offset + b.position());
			if (n < 0) throw bad("is truncated at byte " + (offset + b.position()) + " (the file has " + size + " bytes)");
		}
		b.flip();
		return b.order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
	}

	/** The message for a problem with this file: "TIFF file <path> <what>". */
	InvalidInputException bad(final String what) {
		return new InvalidInputException("TIFF file " + file + " " + what);
	}
}
