package io.granary.master.model;

import io.granary.common.ChunkHandle;
import io.granary.common.meta.Replica;
import java.util.List;

/** A freshly allocated chunk: its handle and the replica chain to write it through, head first. */
public record ChunkAllocation(ChunkHandle handle, List<Replica> chain) {
    public ChunkAllocation {
        chain = List.copyOf(chain);
    }
}
