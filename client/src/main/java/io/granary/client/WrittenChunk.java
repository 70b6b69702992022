package io.granary.client;

import io.granary.common.ChunkHandle;
import java.util.List;

/** A chunk as the writer saw it once its chain acknowledged it: what CommitUpload needs. */
record WrittenChunk(int index, ChunkHandle handle, long size, List<String> replicaIds) {
    WrittenChunk {
        replicaIds = List.copyOf(replicaIds);
    }
}
