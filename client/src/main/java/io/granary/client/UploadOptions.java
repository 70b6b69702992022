package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.Visibility;
import io.granary.common.FileMetadata;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * What an upload asks of the master, the conditions of its commit, and what the client checks
 * before it commits.
 *
 * @param replication    replicas per chunk; 0 means the master's default
 * @param chunkSizeBytes chunk size; 0 means the master's default
 * @param contentType    MIME type to store; "" (or {@code null}) for none
 * @param ifMatchSha256  commit only if the file at the path now has this SHA-256 (hex), or exists at
 *                       all for {@code "*"}; "" (or {@code null}) for no such condition (HTTP If-Match)
 * @param ifNoneMatch    commit only if nothing is at the path (HTTP {@code If-None-Match: *})
 * @param expectedSha256 hex SHA-256 the body must have, or "" to accept any; a mismatch fails the
 *                       upload with INVALID_ARGUMENT before anything becomes visible
 * @param expectedMd5    base64 MD5 the body must have (as in {@code Content-MD5}), or "" to accept any
 * @param actor          on whose behalf the upload is made: the new file's owner, who must be allowed
 *                       to replace the file at the path; {@link Actor#SYSTEM} for a program of the cluster
 * @param visibility     the new file's visibility; {@code null} keeps the replaced file's (private if none)
 * @param metadata       attributes to store with the file ({@link io.granary.common.meta.FileMeta#metadata()}),
 *                       within the bounds of {@link FileMetadata}; never null
 * @param md5            compute the body's MD5 while streaming it and commit its lower-case hex as the
 *                       file's etag; an expected MD5 does the same
 */
public record UploadOptions(int replication, long chunkSizeBytes, String contentType, String ifMatchSha256,
                            boolean ifNoneMatch, String expectedSha256, String expectedMd5, Actor actor,
                            Visibility visibility, Map<String, String> metadata, boolean md5) {
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
        expectedSha256 = expectedSha256 == null ? "" : expectedSha256.trim().toLowerCase(Locale.ROOT);
        if (!expectedSha256.isEmpty() && !expectedSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an expected SHA-256 is 64 hex digits, not '" + expectedSha256 + "'");
        }
        expectedMd5 = expectedMd5 == null ? "" : expectedMd5.trim();
        actor = actor == null ? Actor.SYSTEM : actor;
        if (!expectedMd5.isEmpty() && !isBase64Md5(expectedMd5)) {
            throw new IllegalArgumentException("an expected MD5 is 16 bytes in base64 (24 characters), not '"
                    + expectedMd5 + "'");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A replication, chunk size and content type, without conditions, digests or metadata. */
    public UploadOptions(int replication, long chunkSizeBytes, String contentType) {
        this(replication, chunkSizeBytes, contentType, "", false, "", "", Actor.SYSTEM, null, Map.of(), false);
    }

    /** The master's defaults, no content type. */
    public static UploadOptions defaults() {
        return DEFAULTS;
    }

    public UploadOptions withReplication(int value) {
        return new UploadOptions(value, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch, expectedSha256,
                expectedMd5, actor, visibility, metadata, md5);
    }

    public UploadOptions withChunkSizeBytes(long value) {
        return new UploadOptions(replication, value, contentType, ifMatchSha256, ifNoneMatch, expectedSha256,
                expectedMd5, actor, visibility, metadata, md5);
    }

    public UploadOptions withContentType(String value) {
        return new UploadOptions(replication, chunkSizeBytes, value, ifMatchSha256, ifNoneMatch, expectedSha256,
                expectedMd5, actor, visibility, metadata, md5);
    }

    /** Commits only over a file with this SHA-256 (or any file, for {@code "*"}); else PRECONDITION_FAILED. */
    public UploadOptions withIfMatch(String sha256) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, sha256, ifNoneMatch, expectedSha256,
                expectedMd5, actor, visibility, metadata, md5);
    }

    /** Commits only if nothing is at the path; else PRECONDITION_FAILED. */
    public UploadOptions withIfNoneMatch(boolean value) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, value, expectedSha256,
                expectedMd5, actor, visibility, metadata, md5);
    }

    /** Fails the upload, before its commit, unless the body has this hex SHA-256. */
    public UploadOptions withExpectedSha256(String hex) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch, hex,
                expectedMd5, actor, visibility, metadata, md5);
    }

    /** Fails the upload, before its commit, unless the body has this base64 MD5. */
    public UploadOptions withExpectedMd5(String base64) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch,
                expectedSha256, base64, actor, visibility, metadata, md5);
    }

    /** Uploads on behalf of {@code value}, who will own the file. */
    public UploadOptions withActor(Actor value) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch, expectedSha256,
                expectedMd5, value, visibility, metadata, md5);
    }

    /** The new file's visibility; {@code null} keeps the replaced file's. */
    public UploadOptions withVisibility(Visibility value) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch, expectedSha256,
                expectedMd5, actor, value, metadata, md5);
    }

    /**
     * Stores {@code value} with the file ({@link io.granary.common.meta.FileMeta#metadata()}); the master
     * refuses, INVALID_ARGUMENT before any byte is sent, metadata beyond the bounds of {@link FileMetadata}.
     */
    public UploadOptions withMetadata(Map<String, String> value) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch, expectedSha256,
                expectedMd5, actor, visibility, value, md5);
    }

    /** With {@code true}, commits the body's lower-case hex MD5 as the file's etag. */
    public UploadOptions withMd5(boolean value) {
        return new UploadOptions(replication, chunkSizeBytes, contentType, ifMatchSha256, ifNoneMatch, expectedSha256,
                expectedMd5, actor, visibility, metadata, value);
    }

    /** True when the upload computes the body's MD5: asked for, or needed to check an expected one. */
    boolean computesMd5() {
        return md5 || !expectedMd5.isEmpty();
    }

    private static boolean isBase64Md5(String text) {
        try {
            return Base64.getDecoder().decode(text).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
