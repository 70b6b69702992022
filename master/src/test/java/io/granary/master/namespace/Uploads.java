package io.granary.master.namespace;

import io.granary.common.ChunkHandle;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import io.granary.master.model.ChunkAllocation;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.UploadSession;
import java.util.ArrayList;
import java.util.List;

/** Files written through a {@link Namespace} as a writer would: chunks allocated on their chains, then committed. */
final class Uploads {
    private Uploads() {
    }

    /** Uploads a {@code text/plain} file of this size and digest with the namespace's defaults. */
    static FileMeta put(Namespace namespace, String path, long size, String sha) {
        UploadSession upload = namespace.startUpload(path, 0, 0, "text/plain");
        return namespace.commitUpload(upload.id(), writeChunks(namespace, upload, size), size, sha);
    }

    /** Allocates the chunks of a file of this size, as a writer would before committing. */
    static List<CommittedChunk> writeChunks(Namespace namespace, UploadSession upload, long size) {
        int count = (int) ((size + upload.chunkSizeBytes() - 1) / upload.chunkSizeBytes());
        List<CommittedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChunkAllocation allocation = namespace.allocateChunk(upload.id(), i);
            long bytes = i < count - 1 ? upload.chunkSizeBytes() : size - upload.chunkSizeBytes() * (count - 1);
            chunks.add(new CommittedChunk(i, allocation.handle(), bytes,
                    allocation.chain().stream().map(Replica::chunkserverId).toList()));
        }
        return chunks;
    }

    /** The handles of these chunks, in order. */
    static List<ChunkHandle> handles(List<CommittedChunk> chunks) {
        return chunks.stream().map(CommittedChunk::handle).toList();
    }

    /** The handles of a file's chunks, in order. */
    static List<ChunkHandle> handles(FileMeta file) {
        return file.chunks().stream().map(ChunkMeta::handle).toList();
    }
}
