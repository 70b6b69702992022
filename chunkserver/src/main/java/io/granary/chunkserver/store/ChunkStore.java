package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The chunk replicas of one chunkserver, on its local disk. A chunk is written once, start to end,
 * through a {@link ChunkWriter}; it becomes visible (readable, listed, counted) only when the writer
 * commits it durably, and its bytes never change afterwards. Every byte read is checked against the
 * CRC32C of its 64 KiB block before it is handed out.
 *
 * <p>Thread-safe: any number of threads may write different chunks, read and delete at once.
 * Failures are {@link io.granary.common.GranaryException}s whose kind is the gRPC status the caller
 * should see: NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT, RESOURCE_EXHAUSTED (over capacity or
 * disk full), DATA_LOSS (checksum mismatch), INTERNAL (any other I/O failure). Every method blocks on
 * disk I/O: call it off network threads.
 */
public interface ChunkStore extends AutoCloseable {

    /**
     * Starts writing a new chunk. Nothing is visible until {@link ChunkWriter#commit(long)}.
     *
     * @throws io.granary.common.GranaryException ALREADY_EXISTS when the chunk is stored or being
     *     written already; RESOURCE_EXHAUSTED when the store is full
     */
    ChunkWriter create(ChunkHandle handle);

    /**
     * Starts writing a chunk that takes the place of the replica stored under this handle, if any: a
     * bad one the master repairs in place. The stored replica stays as it is until the new one
     * commits; the commit swaps the new files over the old ones with atomic renames. Without a stored
     * replica it behaves as {@link #create}.
     *
     * @throws io.granary.common.GranaryException ALREADY_EXISTS when the chunk is being written
     *     already; RESOURCE_EXHAUSTED when the store is full
     */
    ChunkWriter replace(ChunkHandle handle);

    /**
     * Opens a range of a stored chunk for reading in verified pieces. {@code length == 0} means "up to
     * the end of the chunk". The reader stays valid if the chunk is deleted meanwhile.
     *
     * @throws io.granary.common.GranaryException NOT_FOUND for an unknown chunk; INVALID_ARGUMENT
     *     for a negative offset or length or a range past the end
     */
    ChunkReader open(ChunkHandle handle, long offset, long length);

    /**
     * Reads a range (as {@link #open}) and hands each verified piece, at most {@code maxPieceBytes}
     * long, to {@code sink} in order. Holds at most one piece in memory at a time.
     */
    default void read(ChunkHandle handle, long offset, long length, int maxPieceBytes, Consumer<ByteBuffer> sink) {
        try (ChunkReader reader = open(handle, offset, length)) {
            while (reader.remaining() > 0) {
                sink.accept(reader.next(maxPieceBytes));
            }
        }
    }

    /** Size in bytes of a stored chunk. @throws io.granary.common.GranaryException NOT_FOUND */
    long size(ChunkHandle handle);

    /** Whether a complete chunk is stored under this handle. */
    boolean contains(ChunkHandle handle);

    /** Removes a stored chunk and frees its space. Idempotent: an unknown handle is no error. */
    void delete(ChunkHandle handle);

    /** A snapshot of the complete chunks stored. */
    Set<ChunkHandle> handles();

    /**
     * Chunks whose stored bytes failed their checksum on a read since start, and chunks whose files
     * vanished from disk (lost: no longer in {@link #handles()}), to report to the master. A chunk
     * leaves this set when it is deleted or written again.
     */
    Set<ChunkHandle> corruptHandles();

    /** Bytes used by complete chunks (their data, not their checksum files). */
    long usedBytes();

    /** Number of complete chunks. */
    int chunkCount();

    /** Bytes this store may hold in all, writes in progress included. */
    long capacityBytes();

    /** Stops accepting new writes. Readers and writers already open keep working until closed. */
    @Override
    void close();
}
