package io.granary.common.meta;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An open multipart upload: nothing is visible at {@code path} until it is completed.
 *
 * @param uploadId       random, unguessable id its part uploads and its completion quote
 * @param path           absolute path with a leading slash, as {@link FileMeta#path()}
 * @param initiated      when it was started
 * @param owner          principal id that started it, the only non-admin that may add parts to it,
 *                       complete or abort it; "" for a caller inside the cluster
 * @param contentType    MIME type the file will have ("" for none)
 * @param metadata       metadata the file will have, by name; never null
 * @param chunkSizeBytes size of every chunk of a part but the part's last
 * @param replication    replicas per chunk
 */
public record MultipartUpload(String uploadId, String path, Instant initiated, String owner, String contentType,
                              Map<String, String> metadata, long chunkSizeBytes, int replication) {
    public MultipartUpload {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(path, "path");
        owner = owner == null ? "" : owner;
        contentType = contentType == null ? "" : contentType;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
