package io.granary.common.meta;

import io.granary.common.ChunkHandle;
import java.util.List;

/**
 * One chunk of a committed file, in file order. A chunk's bytes never change once written, so a
 * {@code ChunkMeta} names one immutable content.
 *
 * @param index    position of the chunk in the file, from 0
 * @param handle   cluster-unique handle
 * @param size     bytes in the chunk: the file's chunk size, except for a shorter last chunk
 * @param replicas live replicas that hold it, in the order readers should try them; may be empty
 *                 (chunk locations are soft state: the master's store answers without them and the
 *                 namespace adds them)
 * @param access   the master's ticket to read it without the cluster secret (for a client holding
 *                 only a token); "" when none was given
 */
public record ChunkMeta(int index, ChunkHandle handle, long size, List<Replica> replicas, String access) {
    public ChunkMeta {
        if (index < 0 || size < 0) {
            throw new IllegalArgumentException("chunk index and size must not be negative");
        }
        replicas = List.copyOf(replicas);
        access = access == null ? "" : access;
    }

    /** A chunk without a ticket. */
    public ChunkMeta(int index, ChunkHandle handle, long size, List<Replica> replicas) {
        this(index, handle, size, replicas, "");
    }

    public ChunkMeta withReplicas(List<Replica> value) {
        return new ChunkMeta(index, handle, size, value, access);
    }
}
