package io.granary.master.model;

import io.granary.common.GranaryPath;
import java.util.List;

/**
 * A namespace entry as the master knows it. Directories have zero size, replication and chunk size,
 * an empty hash and no chunks.
 *
 * @param inode changes whenever the content at the path is replaced, so it names one version
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
        List<ChunkMeta> chunks) {

    public FileMeta {
        chunks = List.copyOf(chunks);
    }

    public static FileMeta directory(GranaryPath path, long inode, long createdMs, long modifiedMs) {
        return new FileMeta(path, EntryType.DIRECTORY, inode, 0, 0, 0, "", "", createdMs, modifiedMs, List.of());
    }

    public boolean isFile() {
        return type == EntryType.FILE;
    }

    public FileMeta withChunks(List<ChunkMeta> value) {
        return new FileMeta(path, type, inode, sizeBytes, replication, chunkSizeBytes, sha256, contentType,
                createdMs, modifiedMs, value);
    }
}
