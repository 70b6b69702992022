package io.granary.client;

import io.granary.common.ByteSize;
import io.granary.common.ChunkHandle;
import io.granary.common.meta.ChunkMeta;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whole small chunks kept in memory by handle, so that reading one again asks no chunkserver. Never
 * stale, and so never invalidated: a committed chunk's bytes never change, and a handle is never
 * reused. The master hands out handles from one counter that only grows ({@code {granary}:counter:handle},
 * reserved with {@code INCRBY}; handles left unused when a master stops are skipped), so a file written
 * again, even at the same path, gets new handles, and a deleted chunk's handle names nothing ever after.
 * Only the path's layout (which handles a file has now) needs the master.
 *
 * <p>An entry is a chunk read whole from a chunkserver: every byte the chunkserver sent was checked
 * against its block's CRC32C before it was sent, and the client counted exactly the chunk's size,
 * no more and no fewer. A partial read (a range of the chunk, or one that failed on every replica)
 * fills nothing. Chunks larger than {@link #maxEntryBytes()} are never kept: large files stream, and
 * a chunk of this size is the one place where the client holds a whole chunk in memory.
 *
 * <p>Bounded by the bytes of the arrays held ({@link #capacityBytes()}); the least recently read
 * entry goes first when a new one needs room. A capacity of 0 turns the cache off: nothing is kept,
 * and no lookup is counted. Counts hits and misses (lookups of chunks small enough to be kept),
 * evictions and the bytes held, for metrics. Thread-safe: one lock, held only for map operations.
 */
public final class ChunkCache {
    /** The largest chunk kept: a file of up to this size is one chunk, and the whole of it fits. */
    public static final long MAX_ENTRY_BYTES = 256 * ByteSize.KIB;

    private final long capacityBytes;
    private final long maxEntryBytes;
    /** In access order: the first entry is the least recently read. */
    private final LinkedHashMap<ChunkHandle, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * @param capacityBytes bytes of chunk data held at most; 0 for no cache
     * @param maxEntryBytes the largest chunk kept (at most {@code capacityBytes} count)
     */
    ChunkCache(long capacityBytes, long maxEntryBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("the chunk cache's capacity must be 0 (off) or more bytes, not "
                    + capacityBytes);
        }
        if (maxEntryBytes < 1) {
            throw new IllegalArgumentException("a chunk cache entry must be allowed at least 1 byte, not "
                    + maxEntryBytes);
        }
        this.capacityBytes = capacityBytes;
        this.maxEntryBytes = Math.min(maxEntryBytes, capacityBytes);
    }

    /** Whether a chunk of {@code chunkBytes} bytes is kept once read whole. */
    boolean admits(long chunkBytes) {
        return chunkBytes > 0 && chunkBytes <= maxEntryBytes;
    }

    /**
     * The bytes of {@code chunk} when they are held (a hit), else null (a miss). A chunk the cache
     * never keeps is not looked up and not counted. The caller must not change the array.
     */
    byte[] get(ChunkMeta chunk) {
        if (!admits(chunk.size())) {
            return null;
        }
        synchronized (this) {
            byte[] held = entries.get(chunk.handle());
            if (held == null || held.length != chunk.size()) {
                misses++;
                return null;
            }
            hits++;
            return held;
        }
    }

    /**
     * Keeps the bytes of a chunk read whole and verified, evicting the least recently read entries
     * until they fit. Does nothing for a chunk too large to keep, or one already held (its bytes
     * are the same). The caller must not change the array afterwards.
     */
    void put(ChunkHandle handle, byte[] chunk) {
        if (!admits(chunk.length)) {
            return;
        }
        synchronized (this) {
            if (entries.containsKey(handle)) {
                return;
            }
            Iterator<Map.Entry<ChunkHandle, byte[]>> oldest = entries.entrySet().iterator();
            while (bytes + chunk.length > capacityBytes && oldest.hasNext()) {
                bytes -= oldest.next().getValue().length;
                oldest.remove();
                evictions++;
            }
            entries.put(handle, chunk);
            bytes += chunk.length;
        }
    }

    /** Whether the bytes of the chunk {@code handle} are held; not counted, and not a read for eviction order. */
    synchronized boolean holds(ChunkHandle handle) {
        return entries.containsKey(handle);
    }

    /** Lookups answered from memory. */
    public synchronized long hits() {
        return hits;
    }

    /** Lookups of chunks small enough to keep that were not held (each one then read from a chunkserver). */
    public synchronized long misses() {
        return misses;
    }

    /** Entries dropped to make room for newer ones. */
    public synchronized long evictions() {
        return evictions;
    }

    /** Bytes of chunk data held now: the sum of the entries' lengths. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Chunks held now. */
    public synchronized int entries() {
        return entries.size();
    }

    /** The most bytes of chunk data held at once; 0 when the cache is off. */
    public long capacityBytes() {
        return capacityBytes;
    }

    /** The largest chunk kept; no larger than {@link #capacityBytes()}. */
    public long maxEntryBytes() {
        return maxEntryBytes;
    }
}
