package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a data directory back to a consistent state at start, whatever a crash left behind:
 * writes in progress ({@code tmp/}) are dropped, a {@code .chunk} without a valid {@code .crc}
 * (a crash between the two renames, or damage) is deleted with it, and a {@code .crc} without its
 * {@code .chunk} (a crash before the commit point, or a half-done delete) is deleted, after the
 * {@link JournalRecovery} has written again any small chunk the disk lost since it was logged. Bytes
 * are not re-verified here; every read verifies them.
 */
final class StoreRecovery {
    private static final Logger log = LoggerFactory.getLogger(StoreRecovery.class);

    private StoreRecovery() {
    }

    /** Repairs the tree and returns the complete chunks with their sizes. */
    static Map<ChunkHandle, Long> recover(ChunkLayout layout, String nodeId) throws IOException {
        Files.createDirectories(layout.chunksDir());
        Files.createDirectories(layout.tmpDir());
        int dropped = emptyTmp(layout);
        if (dropped > 0) {
            log.info("{}: dropped {} unfinished writes from {}", nodeId, dropped, layout.tmpDir());
        }
        JournalRecovery.recover(layout, nodeId);
        Map<ChunkHandle, Long> sizes = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.chunksDir(), Files::isDirectory)) {
            for (Path dir : dirs) {
                scanDirectory(dir, layout, nodeId, sizes);
            }
        }
        return sizes;
    }

    private static int emptyTmp(ChunkLayout layout) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.tmpDir())) {
            for (Path file : files) {
                DiskFiles.deleteQuietly(file);
                count++;
            }
        }
        return count;
    }

    private static void scanDirectory(Path dir, ChunkLayout layout, String nodeId, Map<ChunkHandle, Long> sizes)
            throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Optional<ChunkHandle> chunk = ChunkLayout.handleOf(file, ChunkLayout.CHUNK_SUFFIX);
                Optional<ChunkHandle> crc = ChunkLayout.handleOf(file, ChunkLayout.CRC_SUFFIX);
                if (chunk.isPresent() && layout.chunkFile(chunk.get()).equals(file)) {
                    recoverChunk(chunk.get(), layout, nodeId, sizes);
                } else if (crc.isPresent() && layout.crcFile(crc.get()).equals(file)) {
                    if (!Files.exists(layout.chunkFile(crc.get()))) {
                        log.info("{}: deleting checksums of missing chunk {}", nodeId, crc.get());
                        DiskFiles.deleteQuietly(file);
                    }
                } else {
                    log.warn("{}: leaving unknown file {} alone", nodeId, file);
                }
            }
        }
    }

    private static void recoverChunk(ChunkHandle handle, ChunkLayout layout, String nodeId,
                                     Map<ChunkHandle, Long> sizes) throws IOException {
        Path chunkFile = layout.chunkFile(handle);
        long size = Files.size(chunkFile);
        if (ChecksumFile.matches(layout.crcFile(handle), size)) {
            sizes.put(handle, size);
            return;
        }
        log.warn("{}: deleting chunk {}: its checksum file is missing or does not match", nodeId, handle);
        DiskFiles.deleteQuietly(chunkFile);
        DiskFiles.deleteQuietly(layout.crcFile(handle));
    }
}
