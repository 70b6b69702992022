package io.granary.client;

/**
 * What an upload asks of the master.
 *
 * @param replication    replicas per chunk; 0 means the master's default
 * @param chunkSizeBytes chunk size; 0 means the master's default
 * @param contentType    MIME type to store; "" (or {@code null}) for none
 * @param ifMatchSha256  commit only if the file at the path now has this SHA-256 (hex), or exists at
 *                       all for {@code "*"}; "" (or {@code null}) for no such condition (HTTP If-Match)
 * @param ifNoneMatch    commit only if nothing is at the path (HTTP {@code If-None-Match: *})
 */
public record UploadOptions(int replication, long chunkSizeBytes, String contentType, String ifMatchSha256,
                            boolean ifNoneMatch) {
    private static final UploadOptions DEFAULTS = new UploadOptions(0, 0, "");

    public UploadOptions {
        if (replication < 0) {
            throw new IllegalArgumentException("replication must be 0 (the default) or positive, not " + replication);
        }
        if (chunkSizeBytes < 0) {
            throw new IllegalArgumentException("chunk size must be 0 (the default) or positive, not " + chunkSizeBytes);
        }
        contentType = contentType == null ? "" : contentType;
        ifMatchSha256 = ifMatchSha256 == null ? "" : ifMatchSha256;
    }

    /** Options without write preconditions. */
    public UploadOptions(int replication, long chunkSizeBytes, String contentType) {
        this(replication, chunkSizeBytes, contentType, "", false);
    }

    /** The master's defaults, no content type. */
    public static UploadOptions defaults() {
        return DEFAULTS;
    }

    public UploadOptions withReplication(int replication) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch);
    }

    public UploadOptions withChunkSizeBytes(long chunkSizeBytes) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch);
    }

    public UploadOptions withContentType(String contentType) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch);
    }

    /** Commits only over a file with this SHA-256 (or any file, for {@code "*"}); else PRECONDITION_FAILED. */
    public UploadOptions withIfMatch(String sha256) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, sha256, ifNoneMatch);
    }

    /** Commits only if nothing is at the path; else PRECONDITION_FAILED. */
    public UploadOptions withIfNoneMatch(boolean value) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, value);
    }
}
