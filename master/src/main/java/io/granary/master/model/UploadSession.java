package io.granary.master.model;

import io.granary.common.Actor;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import java.util.Map;

/**
 * An open upload: nothing is visible at {@code path} until it is committed.
 *
 * @param id              random, unguessable id the writer uses in the other upload calls
 * @param replication     replicas wanted per chunk, defaults applied
 * @param chunkSizeBytes  size of every chunk but the last, defaults applied
 * @param contentType     MIME type to store with the file; may be empty
 * @param lastActivityMs  when the upload was started or last allocated a chunk (epoch ms)
 * @param precondition    what must be at the path for the commit to succeed
 * @param actor           who uploads: the new file's owner, checked against the file it replaces
 * @param visibility      the new file's visibility; null keeps that of the file it replaces (private
 *                        for a new file)
 * @param metadata        attributes to store with the file (checked by
 *                        {@link io.granary.common.FileMetadata}); never null
 * @param multipart       a multipart upload: its chunks are recorded in parts, and it is completed from
 *                        them rather than committed with a chunk list
 */
public record UploadSession(
        String id,
        GranaryPath path,
        int replication,
        long chunkSizeBytes,
        String contentType,
        long lastActivityMs,
        WritePrecondition precondition,
        Actor actor,
        Visibility visibility,
        Map<String, String> metadata,
        boolean multipart) {

    public UploadSession {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** An ordinary upload without metadata. */
    public UploadSession(String id, GranaryPath path, int replication, long chunkSizeBytes, String contentType,
                         long lastActivityMs, WritePrecondition precondition, Actor actor, Visibility visibility) {
        this(id, path, replication, chunkSizeBytes, contentType, lastActivityMs, precondition, actor, visibility,
                Map.of(), false);
    }

    /** An upload for a cluster caller, keeping the visibility of the file it replaces. */
    public UploadSession(String id, GranaryPath path, int replication, long chunkSizeBytes, String contentType,
                         long lastActivityMs, WritePrecondition precondition) {
        this(id, path, replication, chunkSizeBytes, contentType, lastActivityMs, precondition, Actor.SYSTEM, null);
    }

    /** An upload without a write precondition. */
    public UploadSession(String id, GranaryPath path, int replication, long chunkSizeBytes, String contentType,
                         long lastActivityMs) {
        this(id, path, replication, chunkSizeBytes, contentType, lastActivityMs, WritePrecondition.NONE);
    }
}
