package io.granary.master.model;

import io.granary.common.ChunkHandle;
import java.util.List;

/**
 * A chunk as its writer reports it at commit: where it sits in the file, its size, and the ids of the
 * chunkservers that fsynced it.
 */
public record CommittedChunk(int index, ChunkHandle handle, long sizeBytes, List<String> replicas) {
    public CommittedChunk {
        replicas = List.copyOf(replicas);
    }
}
