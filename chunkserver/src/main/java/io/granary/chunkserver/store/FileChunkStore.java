package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChunkStore} of plain files laid out as {@link ChunkLayout} says, each chunk with a
 * {@link ChecksumFile}. An in-memory index (handle → size), rebuilt from the tree at start, answers
 * every question that does not need the bytes. Space is accounted as committed bytes plus bytes
 * reserved by writes in progress, so concurrent writers cannot together overrun the capacity.
 */
public final class FileChunkStore implements ChunkStore {
    private static final Logger log = LoggerFactory.getLogger(FileChunkStore.class);

    /** Bytes covered by one CRC32C. */
    public static final int BLOCK_SIZE = ChecksumFile.BLOCK_SIZE;
    /** How often a chunkserver checkpoints its store's commit journal. */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
    /** Idle staging buffers kept for reuse: enough for the writes one chunkserver runs at once. */
    private static final int STAGING_BUFFERS_KEPT = 16;

    private final String nodeId;
    private final ChunkLayout layout;
    private final long capacityBytes;
    private final Map<ChunkHandle, Long> sizes;
    private final Set<ChunkHandle> writing = ConcurrentHashMap.newKeySet();
    private final Set<ChunkHandle> corrupt = ConcurrentHashMap.newKeySet();
    private final Object spaceLock = new Object();
    /** Shared by readers opening a chunk's two files, exclusive for a commit renaming them: see {@link #installing}. */
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    private final StagingBuffers staging = new StagingBuffers(STAGING_BUFFERS_KEPT);
    private final CommitJournal journal;
    private long usedBytes;
    private long reservedBytes;
    private volatile boolean closed;
    private volatile Consumer<ChunkHandle> corruptionListener = handle -> { };

    private FileChunkStore(String nodeId, ChunkLayout layout, Map<ChunkHandle, Long> sizes, long capacityBytes,
                           CommitJournal journal) {
        this.nodeId = nodeId;
        this.layout = layout;
        this.journal = journal;
        this.sizes = new ConcurrentHashMap<>(sizes);
        this.usedBytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        this.capacityBytes = capacityBytes;
    }

    /**
     * Opens (creating if needed) the store under {@code dataDir}, recovering from any crash: see
     * {@link StoreRecovery}. Blocks while it walks the tree.
     *
     * @param capacityBytes bytes the store may hold; 0 means the space usable on the data
     *     directory's file system now, plus what the chunks already there use
     * @throws GranaryException INTERNAL when the directory cannot be read or written
     */
    public static FileChunkStore open(Path dataDir, String nodeId, long capacityBytes) {
        ChunkLayout layout = new ChunkLayout(dataDir);
        try {
            Map<ChunkHandle, Long> sizes = StoreRecovery.recover(layout, nodeId);
            long used = sizes.values().stream().mapToLong(Long::longValue).sum();
            long capacity = capacityBytes > 0 ? capacityBytes
                    : Files.getFileStore(dataDir).getUsableSpace() + used;
            FileChunkStore store = new FileChunkStore(nodeId, layout, sizes, capacity,
                    CommitJournal.open(layout, nodeId));
            log.info("{}: opened chunk store {} with {} chunks, {} of {} bytes used",
                    nodeId, dataDir, sizes.size(), used, capacity);
            return store;
        } catch (IOException e) {
            throw StoreErrors.io(nodeId, "opening the chunk store in " + dataDir, e);
        }
    }

    /** The log that makes this store's small chunks durable. */
    CommitJournal journal() {
        return journal;
    }

    /**
     * Closes the commit journal's segment and settles the segments old enough: see
     * {@link CommitJournal#checkpoint}. Blocks on their fsyncs. The chunkserver runs it every
     * {@link #CHECKPOINT_INTERVAL}.
     *
     * @throws GranaryException INTERNAL when a force fails
     */
    public void checkpoint() {
        try {
            journal.checkpoint();
        } catch (IOException e) {
            throw StoreErrors.io(nodeId, "checkpointing the commit journal", e);
        }
    }

    /**
     * Makes every small chunk committed through the journal durable in its own files and empties the
     * journal: at a graceful stop, so that the next start has nothing to replay.
     *
     * @throws GranaryException INTERNAL when a force fails
     */
    public void checkpointAll() {
        try {
            journal.checkpointAll();
        } catch (IOException e) {
            throw StoreErrors.io(nodeId, "checkpointing the commit journal", e);
        }
    }

    /** Closes the journal's file without a checkpoint, as a crash would leave it; the next open replays it. */
    public void closeJournal() {
        journal.close();
    }

    /** Records appended to the journal so far: small chunks committed, and tombstones of deleted ones. */
    public long journalRecords() {
        return journal.records();
    }

    /** Fsyncs of the journal so far, each covering every record appended before it. */
    public long journalForces() {
        return journal.forces();
    }

    /** The staging buffers this store's writers share. */
    StagingBuffers staging() {
        return staging;
    }

    @Override
    public ChunkWriter create(ChunkHandle handle) {
        return start(handle, false);
    }

    @Override
    public ChunkWriter replace(ChunkHandle handle) {
        return start(handle, true);
    }

    private ChunkWriter start(ChunkHandle handle, boolean replacing) {
        if (closed) {
            throw GranaryException.unavailable("chunkserver " + nodeId + " is shutting down");
        }
        if (!replacing && sizes.containsKey(handle)) {
            throw StoreErrors.exists(nodeId, handle, "already exists");
        }
        if (!writing.add(handle)) {
            throw StoreErrors.exists(nodeId, handle, "is already being written");
        }
        try {
            reserve(0);
            Path tmp = Files.createTempFile(layout.tmpDir(), handle.hex() + ".", ChunkLayout.CHUNK_SUFFIX);
            FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
            return new FileChunkWriter(this, layout, handle, tmp, channel);
        } catch (IOException e) {
            writing.remove(handle);
            throw StoreErrors.io(nodeId, "creating chunk " + handle, e);
        } catch (RuntimeException e) {
            writing.remove(handle);
            throw e;
        }
    }

    @Override
    public ChunkReader open(ChunkHandle handle, long offset, long length) {
        long size = size(handle);
        if (offset < 0 || length < 0 || offset > size || (length > 0 && length > size - offset)) {
            throw GranaryException.invalid("range [offset " + offset + ", length " + length + "] is outside chunk "
                    + handle + " of " + size + " bytes");
        }
        long end = length == 0 ? size : offset + length;
        FileChannel data = null;
        FileChannel crcs;
        swap.readLock().lock();
        try {
            data = FileChannel.open(layout.chunkFile(handle), StandardOpenOption.READ);
            crcs = FileChannel.open(layout.crcFile(handle), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            DiskFiles.closeQuietly(data);
            lost(handle); // unless it was deleted on purpose since the index said it was there
            throw StoreErrors.notFound(nodeId, handle);
        } catch (IOException e) {
            DiskFiles.closeQuietly(data);
            throw StoreErrors.io(nodeId, "opening chunk " + handle, e);
        } finally {
            swap.readLock().unlock();
        }
        try {
            return new FileChunkReader(this, handle, data, crcs, size, offset, end);
        } catch (IOException e) {
            DiskFiles.closeQuietly(data);
            DiskFiles.closeQuietly(crcs);
            throw StoreErrors.io(nodeId, "opening chunk " + handle, e);
        }
    }

    /**
     * Runs a commit's renames of a chunk's two files while no reader is opening them, so that a replace
     * never lets a reader pair the old bytes with the new checksums (or the reverse).
     */
    void installing(DiskFiles.IoAction renames) throws IOException {
        swap.writeLock().lock();
        try {
            renames.run();
        } finally {
            swap.writeLock().unlock();
        }
    }

    @Override
    public long size(ChunkHandle handle) {
        Long size = sizes.get(handle);
        if (size == null) {
            throw StoreErrors.notFound(nodeId, handle);
        }
        return size;
    }

    @Override
    public boolean contains(ChunkHandle handle) {
        return sizes.containsKey(handle);
    }

    @Override
    public void delete(ChunkHandle handle) {
        Long size = sizes.remove(handle);
        // The .chunk goes first: from then on the chunk does not exist, whatever happens to the .crc.
        DiskFiles.deleteQuietly(layout.chunkFile(handle));
        DiskFiles.deleteQuietly(layout.crcFile(handle));
        journal.forget(handle);
        corrupt.remove(handle);
        if (size != null) {
            synchronized (spaceLock) {
                usedBytes -= size;
            }
            log.debug("{}: deleted chunk {}", nodeId, handle);
        }
    }

    @Override
    public Set<ChunkHandle> handles() {
        return Set.copyOf(new TreeSet<>(sizes.keySet()));
    }

    @Override
    public Set<ChunkHandle> corruptHandles() {
        return Set.copyOf(corrupt);
    }

    @Override
    public long usedBytes() {
        synchronized (spaceLock) {
            return usedBytes;
        }
    }

    @Override
    public int chunkCount() {
        return sizes.size();
    }

    @Override
    public long capacityBytes() {
        return capacityBytes;
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * Tells {@code listener} of every checksum failure and every lost replica, found by a client's
     * read or the scrubber, so the node can report the bad replica to the master. Called on the reading thread; must not block long.
     */
    public void onCorruption(Consumer<ChunkHandle> listener) {
        this.corruptionListener = listener;
    }

    private void notifyCorrupt(ChunkHandle handle) {
        try {
            corruptionListener.accept(handle);
        } catch (RuntimeException e) {
            log.warn("{}: reporting corrupt chunk {} failed: {}", nodeId, handle, e.getMessage());
        }
    }

    /** Reserves space for bytes about to be written, or refuses when the store would overflow. */
    void reserve(long bytes) {
        synchronized (spaceLock) {
            if (usedBytes + reservedBytes + bytes > capacityBytes
                    || (bytes == 0 && usedBytes + reservedBytes >= capacityBytes)) {
                throw StoreErrors.full(nodeId, usedBytes + " bytes used + " + reservedBytes
                        + " reserved by writes in progress + " + bytes + " more would exceed the capacity of "
                        + capacityBytes + " bytes");
            }
            reservedBytes += bytes;
        }
    }

    /**
     * Ends a write: its reservation is released, and, if it committed, its size becomes used space in
     * place of the replica it replaced, and the chunk is no longer bad here.
     */
    void finished(ChunkHandle handle, long reserved, long committedSize) {
        Long replaced = null;
        if (committedSize >= 0) {
            replaced = sizes.put(handle, committedSize);
            corrupt.remove(handle);
        }
        synchronized (spaceLock) {
            reservedBytes -= reserved;
            usedBytes += Math.max(committedSize, 0) - (replaced == null ? 0 : replaced);
        }
        writing.remove(handle);
    }

    /**
     * A replica whose files vanished from disk behind the store's back (deleted by hand, a failing
     * disk) is lost: it leaves the index and the used space, what is left of its files goes, and it is
     * reported like a corrupt replica, so the master copies the chunk again. Nothing happens when the
     * chunk was deleted on purpose (it is out of the index already) or is being written again.
     */
    void lost(ChunkHandle handle) {
        if (writing.contains(handle)) {
            return;
        }
        Long size = sizes.remove(handle);
        if (size == null) {
            return;
        }
        DiskFiles.deleteQuietly(layout.chunkFile(handle));
        DiskFiles.deleteQuietly(layout.crcFile(handle));
        synchronized (spaceLock) {
            usedBytes -= size;
        }
        corrupt.add(handle);
        log.warn("{}: chunk {} is in the index but its files are gone from disk; reporting the replica lost",
                nodeId, handle);
        notifyCorrupt(handle);
    }

    /** Records a checksum failure and returns the error to throw. */
    GranaryException corrupted(ChunkHandle handle, long block) {
        corrupt.add(handle);
        GranaryException e = StoreErrors.checksum(nodeId, handle, block);
        log.warn("{}: {}", nodeId, e.getMessage());
        notifyCorrupt(handle);
        return e;
    }

    GranaryException ioFailure(String doing, IOException e) {
        return StoreErrors.io(nodeId, doing, e);
    }

    GranaryException dataLoss(ChunkHandle handle, String why) {
        corrupt.add(handle);
        log.warn("{}: chunk {} is damaged: {}", nodeId, handle, why);
        notifyCorrupt(handle);
        return new GranaryException(ErrorKind.DATA_LOSS, "chunk " + handle + " on " + nodeId + ": " + why);
    }
}
