package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjIntConsumer;

/**
 * The wanted replication of every committed chunk, in memory, so the cluster view can count under-
 * replicated and missing chunks without reading Redis. Loaded once at start (a scan of the committed
 * chunk map) and kept current by commits and deletes. Thread-safe.
 *
 * <p>Memory: about 80 bytes per committed chunk (boxed key and value, map entry), e.g. ~80 MB per
 * million chunks (64 TB of data at 64 MiB chunks). Counting walks every entry: O(chunks) per call.
 */
public final class ReplicationIndex {
    private final Map<Long, Integer> wanted = new ConcurrentHashMap<>();

    public void put(ChunkHandle handle, int replication) {
        wanted.put(handle.value(), replication);
    }

    /**
     * Changes the wanted replication of chunks already in the index. A chunk that is not (its file was
     * deleted since the change was stored) is not brought back, so no ghost is ever counted.
     */
    public void changeAll(Collection<ChunkHandle> handles, int replication) {
        for (ChunkHandle handle : handles) {
            wanted.computeIfPresent(handle.value(), (h, old) -> replication);
        }
    }

    public void removeAll(Collection<ChunkHandle> handles) {
        for (ChunkHandle handle : handles) {
            wanted.remove(handle.value());
        }
    }

    /** The wanted replication of a committed chunk, or 0 when the chunk is not committed. */
    public int wanted(ChunkHandle handle) {
        return wanted.getOrDefault(handle.value(), 0);
    }

    /** Calls back with every committed chunk and its wanted replication; weakly consistent. */
    public void forEach(ObjIntConsumer<ChunkHandle> action) {
        wanted.forEach((handle, replicas) -> action.accept(new ChunkHandle(handle), replicas));
    }

    public int size() {
        return wanted.size();
    }

    /**
     * Counts committed chunks with too few live replicas, and with none at all; a replica known to be
     * corrupt does not count as live.
     */
    public Counts count(ChunkLocations locations, Set<String> liveIds, CorruptReplicas corrupt) {
        long under = 0;
        long missing = 0;
        for (Map.Entry<Long, Integer> entry : wanted.entrySet()) {
            ChunkHandle handle = new ChunkHandle(entry.getKey());
            int live = locations.count(handle, id -> liveIds.contains(id) && !corrupt.isCorrupt(handle, id));
            if (live == 0) {
                missing++;
            } else if (live < entry.getValue()) {
                under++;
            }
        }
        return new Counts(under, missing);
    }

    /** Under-replicated: 0 &lt; live replicas &lt; wanted. Missing: no live replica. */
    public record Counts(long underReplicated, long missing) {
    }
}
