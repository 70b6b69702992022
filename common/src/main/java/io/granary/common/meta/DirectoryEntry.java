package io.granary.common.meta;

import java.time.Instant;

/**
 * One entry of a directory listing. A file's digests come with it so that a listing can show what
 * identifies each file's content (an S3 ETag) without reading every file's metadata.
 *
 * @param name     the entry's name in its directory (one path segment)
 * @param size     a file's size in bytes, or the total size of every file below a directory
 * @param modified last modification time
 * @param sha256   a file's lower-case hex SHA-256 ({@link FileMeta#sha256()}); "" for a directory
 * @param etag     a file's entity tag as its writer committed it ({@link FileMeta#etag()}: hex MD5,
 *                 {@code "<hex>-<parts>"}, or "" when none); "" for a directory
 */
public record DirectoryEntry(String name, EntryType type, long size, Instant modified, String sha256,
                             String etag) {
    public DirectoryEntry {
        sha256 = sha256 == null ? "" : sha256;
        etag = etag == null ? "" : etag;
    }

    /** An entry without digests: a directory, or a file whose digests are not at hand. */
    public DirectoryEntry(String name, EntryType type, long size, Instant modified) {
        this(name, type, size, modified, "", "");
    }
}
