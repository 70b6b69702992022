package io.granary.bench;

import io.granary.common.NamedThreadFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the disk under the data directory can do, measured the way Granary uses it: each copy is a
 * new file written through a {@link FileChannel} and made durable with {@code force(false)}
 * (fdatasync). Three copies in parallel is the floor of a durable write at replication 3 on one
 * disk. Files are deleted after each measurement, outside the timing. Not thread-safe.
 */
final class DiskBaselines implements AutoCloseable {
    static final int COPIES = 3;
    private static final int WRITE_BUFFER_BYTES = 1 << 20;

    private final Path dir;
    private final ExecutorService writers = Executors.newFixedThreadPool(COPIES, new NamedThreadFactory("bench-disk"));
    private final AtomicLong fileCounter = new AtomicLong();

    DiskBaselines(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** {@code size} bytes written to 3 new files in parallel, each fdatasynced: MiB/s of one copy. */
    double syncedCopiesMiBps(long size) throws Exception {
        return copiesMiBps(size, true);
    }

    /** The same three copies through the page cache only (no fdatasync): MiB/s of one copy. */
    double pageCacheCopiesMiBps(long size) throws Exception {
        return copiesMiBps(size, false);
    }

    /** Operations per second of: 4 KiB written to 3 new files in parallel, each fdatasynced; {@code ops} in a row. */
    double smallSyncedCopiesPerSecond(int ops, int bytes) throws Exception {
        List<Path> written = new ArrayList<>();
        try {
            return Load.opsPerSecond(1, ops, i -> written.addAll(writeCopies(bytes, true)));
        } finally {
            deleteAll(written);
        }
    }

    private double copiesMiBps(long size, boolean sync) throws Exception {
        List<Path> written = new ArrayList<>();
        try {
            return Load.mibPerSecond(size, () -> written.addAll(writeCopies(size, sync)));
        } finally {
            deleteAll(written);
        }
    }

    private List<Path> writeCopies(long size, boolean sync) throws Exception {
        List<Future<Path>> copies = new ArrayList<>();
        for (int c = 0; c < COPIES; c++) {
            Path file = dir.resolve("copy-" + fileCounter.incrementAndGet());
            copies.add(writers.submit(() -> write(file, size, sync)));
        }
        List<Path> files = new ArrayList<>();
        for (Future<Path> copy : copies) {
            files.add(copy.get());
        }
        return files;
    }

    private static Path write(Path file, long size, boolean sync) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(WRITE_BUFFER_BYTES, size));
        byte[] block = PatternInputStream.block();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = size; left > 0; ) {
                buffer.clear();
                buffer.put(block, 0, (int) Math.min(buffer.capacity(), left));
                buffer.flip();
                while (buffer.hasRemaining()) {
                    left -= channel.write(buffer);
                }
            }
            if (sync) {
                channel.force(false);
            }
        }
        return file;
    }

    private static void deleteAll(List<Path> files) throws IOException {
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void close() {
        writers.shutdownNow();
    }
}
