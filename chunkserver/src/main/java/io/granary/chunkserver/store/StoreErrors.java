package io.granary.chunkserver.store;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.ChunkHandle;
import java.io.IOException;

/** The store's failures, worded once: each names the chunkserver and the chunk. */
final class StoreErrors {
    private StoreErrors() {
    }

    /** An I/O failure: a full disk is RESOURCE_EXHAUSTED (the master can place elsewhere), the rest INTERNAL. */
    static GranaryException io(String nodeId, String doing, IOException e) {
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (reason.contains("No space left")) {
            return full(nodeId, reason);
        }
        return new GranaryException(ErrorKind.INTERNAL, nodeId + ": " + doing + " failed: " + reason, e);
    }

    static GranaryException full(String nodeId, String detail) {
        return new GranaryException(ErrorKind.RESOURCE_EXHAUSTED, "chunkserver " + nodeId + " is full: " + detail);
    }

    static GranaryException notFound(String nodeId, ChunkHandle handle) {
        return GranaryException.notFound("chunk " + handle + " not found on " + nodeId);
    }

    static GranaryException exists(String nodeId, ChunkHandle handle, String how) {
        return new GranaryException(ErrorKind.ALREADY_EXISTS, "chunk " + handle + " " + how + " on " + nodeId);
    }

    static GranaryException checksum(String nodeId, ChunkHandle handle, long block) {
        return new GranaryException(ErrorKind.DATA_LOSS,
                "chunk " + handle + " on " + nodeId + ": checksum mismatch in block " + block);
    }
}
