package io.granary.client;

import io.granary.common.ChunkHandle;

/** Where a chunk read reports a replica that answered DATA_LOSS, so the master replaces it. */
interface BadReplicaReporter {
    /** Must not block: called from a gRPC callback. */
    void report(ChunkHandle handle, String chunkserverId);
}
