package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import java.nio.ByteBuffer;

/**
 * Writes one new chunk, start to end, into a temporary file; {@link #commit} makes it durable and
 * visible in one step, {@link #abort} throws it away. Not thread-safe: one caller at a time (calls
 * may come from different threads if they are ordered, as on a serial executor). Every method
 * blocks on disk I/O.
 */
public interface ChunkWriter extends AutoCloseable {

    /** The chunk being written. */
    ChunkHandle handle();

    /**
     * Appends all remaining bytes of {@code data} (any size, consumed entirely). On failure the
     * writer is aborted.
     *
     * @throws io.granary.common.GranaryException RESOURCE_EXHAUSTED when the store is full,
     *     INTERNAL on another I/O failure, FAILED_PRECONDITION when committed or aborted already
     */
    void write(ByteBuffer data);

    /** Bytes appended so far. */
    long bytesWritten();

    /**
     * Checks the size, fsyncs the bytes and their checksums, and moves the chunk into place. On any
     * failure the writer is aborted and nothing is left behind.
     *
     * @throws io.granary.common.GranaryException INVALID_ARGUMENT when {@code expectedSize} is not
     *     the number of bytes written, INTERNAL or RESOURCE_EXHAUSTED on an I/O failure
     */
    void commit(long expectedSize);

    /** Deletes the partial chunk and frees its reserved space. Idempotent; a no-op after commit. */
    void abort();

    /** Same as {@link #abort()}: closing a writer that was not committed throws its bytes away. */
    @Override
    default void close() {
        abort();
    }
}
