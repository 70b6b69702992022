package io.granary.master.model;

import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import java.util.List;

/**
 * A namespace entry as the master knows it. Directories have zero replication and chunk size, an
 * empty hash and no chunks; their size and file count are those of everything below them.
 *
 * @param inode changes whenever the content at the path is replaced, so it names one version
 * @param files for a directory, the number of files below it (recursive); 0 for a file
 * @param owner principal id that wrote this version (or created the directory); "" for none
 * @param visibility who may read the file without a token; PRIVATE for a directory
 */
public record FileMeta(
        GranaryPath path,
        EntryType type,
        long inode,
        long sizeBytes,
        int replication,
        long chunkSizeBytes,
        String sha256,
        String contentType,
        long createdMs,
        long modifiedMs,
        List<ChunkMeta> chunks,
        long files,
        String owner,
        Visibility visibility) {

    public FileMeta {
        chunks = List.copyOf(chunks);
        owner = owner == null ? "" : owner;
        visibility = visibility == null ? Visibility.PRIVATE : visibility;
    }

    /** An entry without owner, private. */
    public FileMeta(GranaryPath path, EntryType type, long inode, long sizeBytes, int replication, long chunkSizeBytes,
                    String sha256, String contentType, long createdMs, long modifiedMs, List<ChunkMeta> chunks,
                    long files) {
        this(path, type, inode, sizeBytes, replication, chunkSizeBytes, sha256, contentType, createdMs, modifiedMs,
                chunks, files, "", Visibility.PRIVATE);
    }

    public boolean isFile() {
        return type == EntryType.FILE;
    }

    public FileMeta withChunks(List<ChunkMeta> value) {
        return new FileMeta(path, type, inode, sizeBytes, replication, chunkSizeBytes, sha256, contentType,
                createdMs, modifiedMs, value, files, owner, visibility);
    }
}
