package io.granary.master.model;

import io.granary.common.ChunkHandle;
import java.util.List;

/**
 * One chunk of a committed file.
 *
 * @param index     position in the file, from 0
 * @param handle    the chunk's handle
 * @param sizeBytes bytes in this chunk: the file's chunk size, except for a shorter last chunk
 * @param replicas  live replicas that hold it, in the order readers should try them; empty when the
 *                  store answered (locations are soft state the namespace adds)
 */
public record ChunkMeta(int index, ChunkHandle handle, long sizeBytes, List<Replica> replicas) {
    public ChunkMeta {
        replicas = List.copyOf(replicas);
    }

    public ChunkMeta withReplicas(List<Replica> value) {
        return new ChunkMeta(index, handle, sizeBytes, value);
    }
}
