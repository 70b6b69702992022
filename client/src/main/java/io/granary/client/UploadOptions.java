package io.granary.client;

/**
 * What an upload asks of the master.
 *
 * @param replication    replicas per chunk; 0 means the master's default
 * @param chunkSizeBytes chunk size; 0 means the master's default
 * @param contentType    MIME type to store; "" (or {@code null}) for none
 */
public record UploadOptions(int replication, long chunkSizeBytes, String contentType) {
    private static final UploadOptions DEFAULTS = new UploadOptions(0, 0, "");

    public UploadOptions {
        if (replication < 0) {
            throw new IllegalArgumentException("replication must be 0 (the default) or positive, not " + replication);
        }
        if (chunkSizeBytes < 0) {
            throw new IllegalArgumentException("chunk size must be 0 (the default) or positive, not " + chunkSizeBytes);
        }
        contentType = contentType == null ? "" : contentType;
    }

    /** The master's defaults, no content type. */
    public static UploadOptions defaults() {
        return DEFAULTS;
    }

    public UploadOptions withReplication(int replication) {
        return new UploadOptions(replication, chunkSizeBytes, contentType);
    }

    public UploadOptions withChunkSizeBytes(long chunkSizeBytes) {
        return new UploadOptions(replication, chunkSizeBytes, contentType);
    }

    public UploadOptions withContentType(String contentType) {
        return new UploadOptions(replication, chunkSizeBytes, contentType);
    }
}
