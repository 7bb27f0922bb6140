package io.github.unet3p.core.volume.png;

import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * Compresses bytes into a zlib stream (RFC 1950 around RFC 1951 deflate) whose only matches are
 * runs — repeats of the byte just before, at distance 1 — coded with a dynamic Huffman code per
 * block: the scheme of zlib's {@code Z_RLE} strategy, which OpenCV uses for its PNGs. Any zlib
 * reader inflates it.
 *
 * <p>NB: the JDK's {@code Deflater} cannot select {@code Z_RLE}, and its general string matching
 * (level 1) takes about twice as long on prepared CT slices — mostly noise, where long matches are
 * rare, and flat background, where runs are all there is to find — for files a few percent larger
 * (see {@code src/bench/README.md}).
 *
 * <p>Stateless and thread-safe.
 */
final class RunLengthDeflate {

	/** Input bytes per deflate block; each block gets its own Huffman code. */
	static final int BLOCK = 1 << 16;

	private static final int MAX_RUN = 258, MIN_RUN = 3;
	private static final int END_OF_BLOCK = 256, LITLEN_CODES = 286, CODE_LENGTH_CODES = 19;
	private static final int MAX_BITS = 15, MAX_CODE_LENGTH_BITS = 7;

	/** The order in which the code-length code's lengths are sent (RFC 1951, 3.2.7). */
	private static final int[] CODE_LENGTH_ORDER = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	/** First run length of each length code 257…285, and its count of extra bits. */
	private static final int[] LENGTH_BASE = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163,
			195, 227, 258 };
	private static final int[] LENGTH_EXTRA = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
	/** The length code (0 = symbol 257) of each run length 3…258. */
	private static final int[] LENGTH_CODE = new int[MAX_RUN + 1];

	static {
		for (int c = 0; c < LENGTH_BASE.length; c++) {
			final int last = c + 1 < LENGTH_BASE.length ? LENGTH_BASE[c + 1] - 1 : MAX_RUN;
			for (int len = LENGTH_BASE[c]; len <= last; len++)
				LENGTH_CODE[len] = c;
		}
	}

	private RunLengthDeflate() {}

	/** The zlib stream of {@code data[offset … offset + length)}. */
	static byte[] compress(final byte[] data, final int offset, final int length) {
		if (offset < 0 || length < 0 || offset + length > data.length)
			throw new IndexOutOfBoundsException("range " + offset + "+" + length + " of " + data.length + " bytes");
		final BitWriter out = new BitWriter(length / 2 + 1024);
		out.bytes(0x78, 0x01); // deflate, 32 KiB window, fastest-compression hint; 0x7801 is a multiple of 31
		final int[] tokens = new int[Math.min(BLOCK, Math.max(length, 1))];
		final int end = offset + length;
		int at = offset;
		do {
			final int blockEnd = Math.min(end, at + BLOCK);
			block(data, offset, at, blockEnd, blockEnd == end, tokens, out);
			at = blockEnd;
		}
		while (at < end);
		out.align();
		final Adler32 adler = new Adler32();
		adler.update(data, offset, length);
		final int sum = (int) adler.getValue();
		out.bytes(sum >>> 24, sum >>> 16 & 0xff);
		out.bytes(sum >>> 8 & 0xff, sum & 0xff);
		return out.toByteArray();
	}

	/**
	 * Codes {@code data[from … to)} as one dynamic-Huffman block; runs may repeat the byte before
	 * {@code from} (the previous block's last) but never reach before {@code start}.
	 */
	private static void block(final byte[] data, final int start, final int from, final int to, final boolean last, final int[] tokens,
			final BitWriter out) {
		final int[] freq = new int[LITLEN_CODES];
		final int n = tokenize(data, start, from, to, tokens, freq);
		final BlockCode code = new BlockCode(freq);
		out.reserve(code.bits(freq));
		code.writeHeader(out, last);
		for (int i = 0; i < n; i++) {
			final int t = tokens[i];
			if (t >= 0) out.bits(code.litCode[t], code.litLen[t]);
			else {
				final int run = -t, c = LENGTH_CODE[run], sym = 257 + c;
				// length code, its extra bits, then distance code 0 (one 0 bit): distance 1
				out.bits(code.litCode[sym] | run - LENGTH_BASE[c] << code.litLen[sym], code.litLen[sym] + LENGTH_EXTRA[c] + 1);
			}
		}
		out.bits(code.litCode[END_OF_BLOCK], code.litLen[END_OF_BLOCK]);
	}

	/**
	 * The tokens of {@code data[from … to)}: a literal is its byte value, a run is minus its length.
	 * {@code freq} counts the literal/length symbols, end of block included.
	 *
	 * @return the number of tokens written to {@code tokens}
	 */
	private static int tokenize(final byte[] data, final int start, final int from, final int to, final int[] tokens, final int[] freq) {
		int n = 0;
		for (int i = from; i < to;) {
			final byte b = data[i];
			if (i > start && data[i - 1] == b) {
				int j = i + 1;
				final int limit = Math.min(to, i + MAX_RUN);
				while (j < limit && data[j] == b)
					j++;
				final int run = j - i;
				if (run >= MIN_RUN) {
					tokens[n++] = -run;
					freq[257 + LENGTH_CODE[run]]++;
					i = j;
					continue;
				}
			}
			tokens[n++] = b & 0xff;
			freq[b & 0xff]++;
			i++;
		}
		freq[END_OF_BLOCK]++;
		return n;
	}

	/**
	 * One block's dynamic Huffman code: literal/length from the symbol counts; distance: codes 0
	 * (distance 1) and 1, one bit each; and the code-length code that sends them.
	 */
	private static final class BlockCode {

		final int[] litLen, litCode;
		final int hlit, hclen, clCount;
		final int[] clTokens, clLen, clCode;

		BlockCode(final int[] freq) {
			litLen = lengths(freq, MAX_BITS);
			litCode = canonical(litLen);
			int hl = LITLEN_CODES;
			while (hl > 257 && litLen[hl - 1] == 0)
				hl--;
			hlit = hl;
			final int[] all = Arrays.copyOf(litLen, hlit + 2);
			all[hlit] = 1;
			all[hlit + 1] = 1;
			clTokens = new int[all.length];
			final int[] clFreq = new int[CODE_LENGTH_CODES];
			clCount = codeLengthTokens(all, clTokens, clFreq);
			clLen = lengths(clFreq, MAX_CODE_LENGTH_BITS);
			clCode = canonical(clLen);
			int hc = CODE_LENGTH_CODES;
			while (hc > 4 && clLen[CODE_LENGTH_ORDER[hc - 1]] == 0)
				hc--;
			hclen = hc;
		}

		/** Bits of the whole block: header, code lengths, and the symbols counted in {@code freq} with their extra bits. */
		long bits(final int[] freq) {
			long bits = 17 + 3L * hclen;
			for (int i = 0; i < clCount; i++) {
				final int sym = clTokens[i] & 0x1f;
				bits += clLen[sym] + (sym == 16 ? 2 : sym == 17 ? 3 : sym == 18 ? 7 : 0);
			}
			for (int s = 0; s < LITLEN_CODES; s++)
				bits += (long) freq[s] * (litLen[s] + (s > 256 ? LENGTH_EXTRA[s - 257] + 1 : 0));
			return bits;
		}

		/** The block header (BFINAL, BTYPE 2, HLIT, HDIST, HCLEN) and the run-length coded code lengths. */
		void writeHeader(final BitWriter out, final boolean last) {
			out.bits(last ? 1 : 0, 1);
			out.bits(2, 2);
			out.bits(hlit - 257, 5);
			out.bits(2 - 1, 5);
			out.bits(hclen - 4, 4);
			for (int i = 0; i < hclen; i++)
				out.bits(clLen[CODE_LENGTH_ORDER[i]], 3);
			for (int i = 0; i < clCount; i++) {
				final int t = clTokens[i], sym = t & 0x1f, extra = t >>> 5;
				out.bits(clCode[sym], clLen[sym]);
				if (sym == 16) out.bits(extra, 2);
				else if (sym == 17) out.bits(extra, 3);
				else if (sym == 18) out.bits(extra, 7);
			}
		}
	}

	/**
	 * Run-length codes a sequence of code lengths with the code-length alphabet (16: repeat the
	 * previous 3–6 times, 17: 3–10 zeros, 18: 11–138 zeros); each token is its symbol plus its
	 * extra-bits value shifted left by 5.
	 *
	 * @return the number of tokens written to {@code tokens}; {@code freq} counts the symbols
	 */
	private static int codeLengthTokens(final int[] lengths, final int[] tokens, final int[] freq) {
		int n = 0;
		for (int i = 0; i < lengths.length;) {
			final int v = lengths[i];
			int run = 1;
			while (i + run < lengths.length && lengths[i + run] == v)
				run++;
			int left = run;
			if (v == 0) {
				while (left >= 11) {
					final int r = Math.min(left, 138);
					tokens[n++] = 18 | r - 11 << 5;
					left -= r;
				}
				if (left >= 3) {
					tokens[n++] = 17 | left - 3 << 5;
					left = 0;
				}
			}
			else {
				tokens[n++] = v;
				freq[v]++;
				left--;
				while (left >= 3) {
					final int r = Math.min(left, 6);
					tokens[n++] = 16 | r - 3 << 5;
					left -= r;
				}
			}
			for (; left > 0; left--) {
				tokens[n++] = v;
				freq[v]++;
			}
			i += run;
		}
		for (int i = 0; i < n; i++)
			if ((tokens[i] & 0x1f) >= 16) freq[tokens[i] & 0x1f]++;
		return n;
	}

	/**
	 * Huffman code lengths of at most {@code maxBits} for the symbol counts {@code freq}; unused
	 * symbols get 0. The code is always complete: a lone used symbol is paired with another.
	 *
	 * <p>NB: when the optimal code is deeper than {@code maxBits}, the counts are halved (keeping
	 * every used symbol at least 1) until it is not; rare, and only slightly suboptimal.
	 */
	static int[] lengths(final int[] freq, final int maxBits) {
		final int symbols = freq.length;
		final int[] f = freq.clone();
		int used = 0;
		for (final int v : f)
			if (v > 0) used++;
		if (used < 2) {
			// NB: zlib refuses an incomplete code; make a complete one of two 1-bit codes
			final int[] len = new int[symbols];
			int first = -1;
			for (int s = 0; s < symbols; s++)
				if (f[s] > 0) first = s;
			len[first < 0 ? 0 : first] = 1;
			len[first == 0 ? 1 : 0] = 1;
			return len;
		}
		while (true) {
			final int[] len = huffman(f, used);
			int max = 0;
			for (final int l : len)
				max = Math.max(max, l);
			if (max <= maxBits) return len;
			for (int s = 0; s < symbols; s++)
				if (f[s] > 0) f[s] = Math.max(1, f[s] >>> 1);
		}
	}

	/** Optimal (unlimited) Huffman code lengths of the {@code used} symbols with non-zero count. */
	private static int[] huffman(final int[] f, final int used) {
		final long[] leaves = new long[used];
		for (int s = 0, i = 0; s < f.length; s++)
			if (f[s] > 0) leaves[i++] = (long) f[s] << 16 | s;
		Arrays.sort(leaves);
		// two queues: the sorted leaves (nodes 0 … used−1) and the merged nodes, created in order of weight
		final int nodes = 2 * used - 1;
		final long[] weight = new long[nodes];
		final int[] parent = new int[nodes];
		for (int i = 0; i < used; i++)
			weight[i] = leaves[i] >>> 16;
		int leaf = 0, merged = used;
		for (int next = used; next < nodes; next++) {
			final int a = leaf < used && (merged >= next || weight[leaf] <= weight[merged]) ? leaf++ : merged++;
			final int b = leaf < used && (merged >= next || weight[leaf] <= weight[merged]) ? leaf++ : merged++;
			weight[next] = weight[a] + weight[b];
			parent[a] = next;
			parent[b] = next;
		}
		final int[] depth = new int[nodes];
		for (int i = nodes - 2; i >= 0; i--)
			depth[i] = depth[parent[i]] + 1;
		final int[] len = new int[f.length];
		for (int i = 0; i < used; i++)
			len[(int) (leaves[i] & 0xffff)] = depth[i];
		return len;
	}

	/** The canonical codes (RFC 1951, 3.2.2) of {@code len}, bit-reversed for LSB-first output. */
	static int[] canonical(final int[] len) {
		final int[] count = new int[MAX_BITS + 2];
		for (final int l : len)
			count[l]++;
		count[0] = 0;
		final int[] next = new int[MAX_BITS + 2];
		for (int bits = 1, code = 0; bits <= MAX_BITS + 1; bits++) {
			code = code + count[bits - 1] << 1;
			next[bits] = code;
		}
		final int[] codes = new int[len.length];
		for (int s = 0; s < len.length; s++)
			if (len[s] > 0) codes[s] = Integer.reverse(next[len[s]]++) >>> 32 - len[s];
		return codes;
	}

	/** Packs bit fields least significant bit first into a growing byte array. */
	private static final class BitWriter {

		private byte[] buf;
		private int size;
		private long acc;
		private int filled;

		BitWriter(final int capacity) {
			buf = new byte[Math.max(capacity, 64)];
		}

		/** Makes room for {@code bits} more bits, so that {@link #bits} need not check. */
		void reserve(final long bits) {
			ensure((int) Math.min(Integer.MAX_VALUE - 16, bits / 8 + 8));
		}

		/** Appends the low {@code n} bits of {@code value} (n ≤ 32); room was {@link #reserve reserved}. */
		void bits(final int value, final int n) {
			acc |= (value & 0xffffffffL) << filled;
			filled += n;
			if (filled >= 32) {
				buf[size] = (byte) acc;
				buf[size + 1] = (byte) (acc >>> 8);
				buf[size + 2] = (byte) (acc >>> 16);
				buf[size + 3] = (byte) (acc >>> 24);
				size += 4;
				acc >>>= 32;
				filled -= 32;
			}
		}

		/** Pads with zero bits to a byte boundary and flushes. */
		void align() {
			while (filled > 0) {
				ensure(1);
				buf[size++] = (byte) acc;
				acc >>>= 8;
				filled = Math.max(0, filled - 8);
			}
		}

		/** Appends two whole bytes; only on a byte boundary. */
		void bytes(final int b0, final int b1) {
			ensure(2);
			buf[size++] = (byte) b0;
			buf[size++] = (byte) b1;
		}

		private void ensure(final int more) {
			if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(size + more, buf.length + (buf.length >> 1)));
		}

		byte[] toByteArray() {
			return Arrays.copyOf(buf, size);
		}
	}
}
