package io.granary.chunkserver.store;

import java.nio.ByteBuffer;

/**
 * Reads one range of a stored chunk in pieces, verifying every 64 KiB block that a piece touches
 * before handing out any of its bytes. Not thread-safe: one caller at a time. Blocks on disk I/O.
 */
public interface ChunkReader extends AutoCloseable {

    /** Bytes of the range not yet returned. */
    long remaining();

    /**
     * The next piece of the range, at most {@code maxBytes} long (and at least one byte while any
     * remain), in a buffer that is never reused by the reader: callers may keep or wrap it.
     *
     * @throws io.granary.common.GranaryException DATA_LOSS when a block fails its checksum
     *     (the reader is then unusable), INTERNAL on an I/O failure
     */
    ByteBuffer next(int maxBytes);

    /** Releases the open files. Idempotent. */
    @Override
    void close();
}
