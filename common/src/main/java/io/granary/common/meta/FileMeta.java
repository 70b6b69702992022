package io.granary.common.meta;

import io.granary.common.Visibility;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of one namespace entry. For a file, {@code chunks} is the layout of exactly this
 * version: an overwrite creates a new inode with new chunks, so reading through an older
 * {@code FileMeta} never mixes versions. A directory has zero replication and chunk size, an empty
 * hash and no chunks.
 *
 * @param path        absolute path with a leading slash ({@code "/a/b"}); {@code "/"} for the root
 *                    (what {@link io.granary.common.GranaryPath#toString()} gives)
 * @param type        file or directory
 * @param inode       changes whenever the content at the path is replaced, so it names one version
 * @param size        total bytes; for a directory, of every file below it (recursive)
 * @param replication wanted replicas per chunk (0 for a directory)
 * @param chunkSize   chunk size the file was written with (0 for a directory)
 * @param sha256      lower-case hex SHA-256 of the content ("" for a directory)
 * @param contentType MIME type stored at upload ("" when none)
 * @param created     creation time
 * @param modified    last modification time
 * @param chunks      the chunks in file order; empty for a directory
 * @param files       for a directory, the number of files below it (recursive); 0 for a file
 * @param owner       principal id that wrote this version or created the directory; "" for none
 * @param visibility  who may read the file without a token (always private for a directory)
 * @param etag        entity tag the writer committed: lower-case hex MD5 of the content, S3's multipart
 *                    form {@code "<hex>-<parts>"}, or "" when it gave none (always "" for a directory)
 * @param metadata    attributes stored with the file at upload, name to value, in name order (user
 *                    metadata and HTTP headers the gateway keeps); empty for a directory, never null
 */
public record FileMeta(String path, EntryType type, long inode, long size, int replication, long chunkSize,
                       String sha256, String contentType, Instant created, Instant modified,
                       List<ChunkMeta> chunks, long files, String owner, Visibility visibility, String etag,
                       Map<String, String> metadata) {
    public FileMeta {
        if (path == null || type == null) {
            throw new IllegalArgumentException("a file needs a path and a type");
        }
        sha256 = sha256 == null ? "" : sha256;
        contentType = contentType == null ? "" : contentType;
        chunks = List.copyOf(chunks);
        owner = owner == null ? "" : owner;
        visibility = visibility == null ? Visibility.PRIVATE : visibility;
        etag = etag == null ? "" : etag;
        metadata = metadata == null || metadata.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** An entry without etag or metadata. */
    public FileMeta(String path, EntryType type, long inode, long size, int replication, long chunkSize,
                    String sha256, String contentType, Instant created, Instant modified, List<ChunkMeta> chunks,
                    long files, String owner, Visibility visibility) {
        this(path, type, inode, size, replication, chunkSize, sha256, contentType, created, modified, chunks, files,
                owner, visibility, "", Map.of());
    }

    /** An entry without owner, private. */
    public FileMeta(String path, EntryType type, long inode, long size, int replication, long chunkSize,
                    String sha256, String contentType, Instant created, Instant modified, List<ChunkMeta> chunks,
                    long files) {
        this(path, type, inode, size, replication, chunkSize, sha256, contentType, created, modified, chunks, files,
                "", Visibility.PRIVATE);
    }

    /** An entry without a file count (a file). */
    public FileMeta(String path, EntryType type, long inode, long size, int replication, long chunkSize,
                    String sha256, String contentType, Instant created, Instant modified, List<ChunkMeta> chunks) {
        this(path, type, inode, size, replication, chunkSize, sha256, contentType, created, modified, chunks, 0);
    }

    public boolean isFile() {
        return type == EntryType.FILE;
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    public boolean isPublic() {
        return visibility == Visibility.PUBLIC;
    }

    /** The same entry with {@code value} as its chunks (the master adds live replicas this way). */
    public FileMeta withChunks(List<ChunkMeta> value) {
        return new FileMeta(path, type, inode, size, replication, chunkSize, sha256, contentType, created, modified,
                value, files, owner, visibility, etag, metadata);
    }
}
