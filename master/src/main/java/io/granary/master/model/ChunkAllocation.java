package io.granary.master.model;

import io.granary.common.ChunkHandle;
import io.granary.common.meta.Replica;
import java.util.List;

/**
 * A freshly allocated chunk: its handle, the replica chain to write it through, head first, and the
 * chunk size of its upload (how many bytes a full chunk has).
 */
public record ChunkAllocation(ChunkHandle handle, List<Replica> chain, long chunkSizeBytes) {
    public ChunkAllocation {
        chain = List.copyOf(chain);
    }
}
