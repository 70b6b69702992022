package io.granary.chunkserver.store;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The direct block-sized buffers chunk writers gather incoming bytes in, reused instead of one
 * {@code allocateDirect} per chunk: a small file costs a 64 KiB zero-filled native allocation per
 * replica otherwise, and freeing them waits for a GC (and, at -XX:MaxDirectMemorySize, may force a
 * full one). At most {@code maxKept} idle buffers are kept; more writers than that at once allocate
 * extra ones, which are dropped when they come back. Thread-safe.
 */
final class StagingBuffers {
    private final ArrayBlockingQueue<ByteBuffer> idle;

    StagingBuffers(int maxKept) {
        this.idle = new ArrayBlockingQueue<>(maxKept);
    }

    /** A cleared buffer of {@link ChecksumFile#BLOCK_SIZE} bytes; never blocks. */
    ByteBuffer take() {
        ByteBuffer buffer = idle.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(ChecksumFile.BLOCK_SIZE);
    }

    /** Returns a buffer taken here; the caller must not touch it afterwards. */
    void give(ByteBuffer buffer) {
        idle.offer(buffer); // false when enough are idle: the buffer is left to the GC
    }
}
