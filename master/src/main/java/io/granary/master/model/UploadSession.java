package io.granary.master.model;

import io.granary.common.GranaryPath;

/**
 * An open upload: nothing is visible at {@code path} until it is committed.
 *
 * @param id              random, unguessable id the writer uses in the other upload calls
 * @param replication     replicas wanted per chunk, defaults applied
 * @param chunkSizeBytes  size of every chunk but the last, defaults applied
 * @param contentType     MIME type to store with the file; may be empty
 * @param lastActivityMs  when the upload was started or last allocated a chunk (epoch ms)
 * @param precondition    what must be at the path for the commit to succeed
 */
public record UploadSession(
        String id,
        GranaryPath path,
        int replication,
        long chunkSizeBytes,
        String contentType,
        long lastActivityMs,
        WritePrecondition precondition) {

    /** An upload without a write precondition. */
    public UploadSession(String id, GranaryPath path, int replication, long chunkSizeBytes, String contentType,
                         long lastActivityMs) {
        this(id, path, replication, chunkSizeBytes, contentType, lastActivityMs, WritePrecondition.NONE);
    }
}
