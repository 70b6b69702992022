package io.granary.chunkserver.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small file-system steps the store repeats. */
final class DiskFiles {
    private static final Logger log = LoggerFactory.getLogger(DiskFiles.class);

    private DiskFiles() {
    }

    /**
     * Forces a directory's entries to disk, so that a rename or a new file in it survives a power
     * cut. Some platforms cannot open a directory; there the rename is as durable as they allow.
     */
    /** File system work that may fail with an IOException. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            log.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    /** Deletes a file if it exists; a failure is logged, not thrown, since callers are cleaning up. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.toString());
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("close failed: {}", e.toString());
        }
    }
}
