package io.granary.chunkserver.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One chunkserver's data directory inside a directory that several chunkservers share (the one
 * volume of a scaled compose service): {@code ROOT/slot-N}, the lowest N whose {@code .lock} file no
 * running process holds. The OS lock is held for as long as this object is open, and the kernel drops
 * it when the process dies, however it dies; so a slot is never used by two chunkservers at once, and
 * a chunkserver started after another stopped takes over its slot with the id and chunks kept in it
 * ({@link NodeIdentity}), like a StatefulSet's stable identities. Claiming blocks on disk I/O; an
 * instance is thread-safe.
 */
public final class DataSlot implements AutoCloseable {
    public static final String PREFIX = "slot-";
    public static final String LOCK_FILE = ".lock";
    /** More chunkservers than this sharing one directory is a mistake, not a deployment. */
    public static final int MAX_SLOTS = 1024;

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataSlot(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims the lowest free slot of {@code root}, creating it (and {@code root}) when needed.
     *
     * @throws IOException when a slot cannot be created or locked, or all {@link #MAX_SLOTS} are held
     */
    public static DataSlot claim(Path root) throws IOException {
        Files.createDirectories(root);
        for (int n = 0; n < MAX_SLOTS; n++) {
            Path dir = root.resolve(PREFIX + n);
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = null;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                // another DataSlot of this process holds it: as taken as one of another process
            } finally {
                if (lock == null) {
                    channel.close();
                }
            }
            if (lock != null) {
                return new DataSlot(dir, channel, lock);
            }
        }
        throw new IOException("all " + MAX_SLOTS + " slots of " + root + " are held by running chunkservers");
    }

    /** The slot's directory: the chunkserver's data directory. */
    public Path dir() {
        return dir;
    }

    /** Releases the slot for the next chunkserver to start. Idempotent. */
    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            lock.release();
            channel.close();
        }
    }
}
