package io.github.unet3p.core.train;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a busy JVM does between a forward and a backward pass: a garbage collection, the cleaners
 * of unreachable direct buffers run (their native memory goes back to malloc), and new direct
 * buffers take that memory over and fill it. A tensor whose storage was such a buffer then reads
 * the new buffers' bytes.
 */
final class MemoryChurn implements AutoCloseable {

	/** The byte every churn buffer is filled with (0x7F7F7F7F as float32 is 3.4e38). */
	static final byte FILL = 0x7F;

	private final List<ByteBuffer> held = new ArrayList<>();

	/** Collects garbage, lets the cleaners run, then allocates and fills thousands of small and mid-sized direct buffers. */
	static MemoryChurn now() throws InterruptedException {
		final MemoryChurn churn = new MemoryChurn();
		for (int round = 0; round < 3; round++) {
			System.gc();
			Thread.sleep(20);
		}
		for (int i = 0; i < 6000; i++) {
			final int size = 4 << (i % 8); // 4 bytes .. 512 bytes
			final ByteBuffer b = ByteBuffer.allocateDirect(size);
			for (int k = 0; k < size; k++)
				b.put(k, FILL);
			churn.held.add(b);
		}
		for (int i = 0; i < 64; i++) {
			final ByteBuffer b = ByteBuffer.allocateDirect(1 << 14 << (i % 4));
			for (int k = 0; k < b.capacity(); k++)
				b.put(k, FILL);
			churn.held.add(b);
		}
		return churn;
	}

	/** Lets the buffers go (they are freed at a later collection). */
	@Override
	public void close() {
		held.clear();
	}
}
