package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's write-ahead log for small chunks, those of one checksum block or less. Such a chunk is
 * made durable by one record here (its handle, length, checksum and bytes) instead of fsyncs of its
 * {@code .chunk}, its {@code .crc} and its directory, and commits that arrive while the log is being
 * forced share the next force (group commit): concurrent small writes cost one fsync between them.
 * Their files are still installed as every chunk's are, but left to the page cache; a
 * {@linkplain #checkpoint checkpoint} closes the segment that logged them and, once the kernel has
 * had time to write them back, fsyncs them and deletes the segment; after a crash,
 * {@link JournalRecovery} rewrites from the log whatever the disk lost.
 *
 * <p>Layout: {@code DATA/journal/<16 hex digits>.log}, segments numbered in the order written; only
 * the newest takes records, each a {@link JournalRecord}. A deleted chunk that the log still holds
 * gets a tombstone, so that a crash does not bring it back; a tombstone is not forced, since a chunk
 * that comes back anyway is an orphan the master's garbage collection removes.
 *
 * <p>A failed force is remembered: the page cache may have dropped the pages it could not write, so
 * every later commit through the log fails too. Thread-safe.
 */
final class CommitJournal {
    private static final Logger log = LoggerFactory.getLogger(CommitJournal.class);

    /** Largest chunk that goes through the log: one checksum block, what a writer's staging buffer holds. */
    static final int MAX_CHUNK_BYTES = ChecksumFile.BLOCK_SIZE;
    /**
     * Bytes a segment takes before small commits fsync their own files instead, until a checkpoint
     * starts the next segment: bounds the disk the log takes and the work of a recovery.
     */
    static final long SEGMENT_LIMIT_BYTES = 32L * 1024 * 1024;
    /** How long a closed segment waits before its chunks' files are forced and it is deleted. */
    static final Duration SETTLE_AFTER = Duration.ofSeconds(30);
    /** Closed segments kept waiting at most; beyond, the oldest is settled at once. */
    static final int MAX_CLOSED_SEGMENTS = 8;
    static final String SUFFIX = ".log";

    private final String nodeId;
    private final ChunkLayout layout;
    /** Guards the active segment and {@link #appended}. */
    private final Object appendLock = new Object();
    /** Guards {@link #durable}, {@link #forcing} and {@link #failure}; waiters for a force wait on it. */
    private final Object forceLock = new Object();
    /** Serializes checkpoints. */
    private final Object checkpointLock = new Object();
    private Segment active;
    /** Segments closed by a checkpoint whose chunks' files are not forced yet, oldest first. */
    private final Deque<Segment> closed = new ConcurrentLinkedDeque<>();
    private long appended;
    private long durable;
    private boolean forcing;
    private IOException failure;
    private long forces;

    private CommitJournal(String nodeId, ChunkLayout layout, Segment active) {
        this.nodeId = nodeId;
        this.layout = layout;
        this.active = active;
    }

    /** One log file: its number, its channel, the handles of the chunks it made durable, and when it was closed. */
    private static final class Segment {
        final long number;
        final Path path;
        final FileChannel channel;
        /** Written under the append lock; read by {@link #forget} and, once closed, by a checkpoint. */
        final Set<ChunkHandle> chunks = ConcurrentHashMap.newKeySet();
        /** Handles whose last record here is a tombstone; written under the append lock. */
        final Set<ChunkHandle> deleted = ConcurrentHashMap.newKeySet();
        long bytes;
        volatile long closedAt;

        Segment(long number, Path path, FileChannel channel) {
            this.number = number;
            this.path = path;
            this.channel = channel;
        }
    }

    /**
     * Opens a new, empty log in {@code DATA/journal/}, which {@link JournalRecovery#recover} must
     * have emptied: an old segment left there fails the open.
     */
    static CommitJournal open(ChunkLayout layout, String nodeId) throws IOException {
        return new CommitJournal(nodeId, layout, newSegment(layout, 0));
    }

    /**
     * Whether a small commit of {@code handle} may go through the log now: false after a failed
     * force, or once the active segment has reached {@link #SEGMENT_LIMIT_BYTES} unless the log holds
     * a tombstone of {@code handle}. Such a chunk, written again after a delete, must be logged after
     * its tombstone: written beside the log, a replay of the tombstone would delete it.
     */
    boolean accepting(ChunkHandle handle) {
        synchronized (forceLock) {
            if (failure != null) {
                return false;
            }
        }
        synchronized (appendLock) {
            if (active.bytes < SEGMENT_LIMIT_BYTES || active.deleted.contains(handle)) {
                return true;
            }
        }
        return closed.stream().anyMatch(segment -> segment.deleted.contains(handle));
    }

    /**
     * Appends the record of a chunk whose files are installed already. Not durable until
     * {@link #awaitDurable} of the number returned.
     *
     * @param data the chunk's bytes, at most {@link #MAX_CHUNK_BYTES}; read, not consumed
     * @param crc the CRC32C of {@code data}
     */
    long appendPut(ChunkHandle handle, ByteBuffer data, int crc) throws IOException {
        return append(JournalRecord.PUT, handle, data.duplicate(), crc);
    }

    /** Logs a tombstone if the log still holds {@code handle}; never waits for a force. */
    void forget(ChunkHandle handle) {
        boolean logged;
        synchronized (appendLock) {
            logged = active.chunks.contains(handle);
        }
        if (!logged && closed.stream().noneMatch(segment -> segment.chunks.contains(handle))) {
            return;
        }
        try {
            append(JournalRecord.DELETE, handle, ByteBuffer.allocate(0), 0);
        } catch (IOException e) {
            log.warn("{}: logging the delete of chunk {} failed ({}); a crash may bring it back for the "
                    + "garbage collection to delete again", nodeId, handle, e.toString());
        }
    }

    private long append(byte type, ChunkHandle handle, ByteBuffer data, int crc) throws IOException {
        ByteBuffer[] record = JournalRecord.encode(type, handle, data, crc);
        long length = JournalRecord.length(data.remaining());
        synchronized (appendLock) {
            long written = 0;
            while (written < length) {
                written += active.channel.write(record);
            }
            active.bytes += length;
            if (type == JournalRecord.PUT) {
                active.chunks.add(handle);
                active.deleted.remove(handle);
            } else {
                active.chunks.remove(handle);
                active.deleted.add(handle);
            }
            return ++appended;
        }
    }

    /**
     * Returns once record {@code number} is on disk: forces the log unless a force that started after
     * the record was appended is running, in which case it waits for that one and shares it.
     *
     * @throws IOException when the force failed, now or at any time before
     */
    void awaitDurable(long number) throws IOException {
        synchronized (forceLock) {
            while (true) {
                if (failure != null) {
                    throw new IOException("the commit journal failed to force earlier", failure);
                }
                if (durable >= number) {
                    return;
                }
                if (!forcing) {
                    break;
                }
                waitForForce();
            }
            forcing = true;
        }
        forceActive();
        synchronized (forceLock) {
            if (failure != null) {
                throw new IOException("forcing the commit journal failed", failure);
            }
        }
    }

    /**
     * Starts a new segment if the active one holds records (forcing it first), then settles every
     * earlier segment closed at least {@link #SETTLE_AFTER} ago, and the oldest ones beyond
     * {@link #MAX_CLOSED_SEGMENTS}: forces its chunks' files and their directories, then deletes it.
     * Commits go on meanwhile, into the new segment. Waiting lets the kernel write those files back
     * itself, so that their forces find little left to do.
     */
    void checkpoint() throws IOException {
        checkpoint(false);
    }

    /** A {@link #checkpoint} that settles every segment, whatever its age: at a graceful stop. */
    void checkpointAll() throws IOException {
        checkpoint(true);
    }

    private void checkpoint(boolean all) throws IOException {
        synchronized (checkpointLock) {
            rotate();
            long now = System.nanoTime();
            Segment oldest;
            while ((oldest = closed.peekFirst()) != null && (all || closed.size() > MAX_CLOSED_SEGMENTS
                    || now - oldest.closedAt >= SETTLE_AFTER.toNanos())) {
                settle(layout, oldest.chunks);
                DiskFiles.closeQuietly(oldest.channel);
                Files.deleteIfExists(oldest.path);
                closed.pollFirst();
            }
        }
    }

    /** Forces the active segment and replaces it with a new one, unless it is empty. */
    private void rotate() throws IOException {
        synchronized (forceLock) {
            while (forcing) {
                waitForForce();
            }
            if (failure != null) {
                throw new IOException("the commit journal failed to force earlier", failure);
            }
            forcing = true;
        }
        Segment old = null;
        long upTo;
        boolean forced = false;
        synchronized (appendLock) {
            upTo = appended;
            if (active.bytes > 0) {
                try {
                    active.channel.force(false);
                } catch (IOException e) {
                    forceDone(true, 0, e);
                    throw e;
                }
                forced = true;
                try {
                    Segment next = newSegment(layout, active.number + 1);
                    old = active;
                    active = next;
                } catch (IOException e) { // the forced segment stays active; the next checkpoint tries again
                    forceDone(true, upTo, null);
                    throw e;
                }
            }
        }
        forceDone(forced, upTo, null);
        if (old != null) {
            old.closedAt = System.nanoTime();
            closed.addLast(old);
        }
    }

    /** Forces taken so far, shared or not. */
    long forces() {
        synchronized (forceLock) {
            return forces;
        }
    }

    /** Records appended so far. */
    long records() {
        return appendedNow();
    }

    /** Closes the segments without a checkpoint; the next open replays them. */
    void close() {
        synchronized (appendLock) {
            DiskFiles.closeQuietly(active.channel);
        }
        closed.forEach(segment -> DiskFiles.closeQuietly(segment.channel));
    }

    private void forceActive() {
        long upTo;
        FileChannel channel;
        synchronized (appendLock) {
            upTo = appended;
            channel = active.channel;
        }
        try {
            channel.force(false);
            forceDone(true, upTo, null);
        } catch (IOException e) {
            forceDone(true, 0, e);
        }
    }

    /** Ends the force this thread took the turn for; {@code upTo} records are durable unless it failed. */
    private void forceDone(boolean forced, long upTo, IOException e) {
        synchronized (forceLock) {
            forcing = false;
            if (forced) {
                forces++;
            }
            if (e != null) {
                failure = e;
                log.error("{}: forcing the commit journal failed; small chunks now fsync their own files",
                        nodeId, e);
            } else {
                durable = Math.max(durable, upTo);
            }
            forceLock.notifyAll();
        }
    }

    private void waitForForce() {
        try {
            forceLock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the commit journal", e);
        }
    }

    private long appendedNow() {
        synchronized (appendLock) {
            return appended;
        }
    }

    private static Segment newSegment(ChunkLayout layout, long number) throws IOException {
        Path path = layout.journalDir().resolve(String.format("%016x", number) + SUFFIX);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        DiskFiles.fsyncDirectory(layout.journalDir());
        return new Segment(number, path, channel);
    }

    /** Forces the files of {@code chunks} that still exist, then their directories. */
    static void settle(ChunkLayout layout, Set<ChunkHandle> chunks) throws IOException {
        Set<Path> dirs = new TreeSet<>();
        for (ChunkHandle handle : chunks) {
            if (force(layout.crcFile(handle)) & force(layout.chunkFile(handle))) {
                dirs.add(layout.dirOf(handle));
            }
        }
        for (Path dir : dirs) {
            DiskFiles.fsyncDirectory(dir);
        }
    }

    private static boolean force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
            return true;
        } catch (NoSuchFileException e) {
            return false; // deleted since: nothing to keep
        }
    }
}
