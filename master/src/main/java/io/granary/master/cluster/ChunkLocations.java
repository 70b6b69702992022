package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which chunkserver holds which chunk: soft state (GFS §2.6.2), never read from Redis, learned from
 * chunk reports and from the replicas a commit names, and lost on restart until the chunkservers
 * report again. Kept both ways (handle to holders, holder to handles) so that a full report can
 * replace one chunkserver's part. Thread-safe: every method takes the object's lock briefly.
 *
 * <p>Memory: about 150 bytes per replica (boxed handle, set entries both ways), e.g. ~450 MB for a
 * million chunks at replication 3. Documented in docs/redis-schema.md.
 */
public final class ChunkLocations {
    private final Map<Long, Set<String>> holders = new HashMap<>();
    private final Map<String, Set<Long>> held = new HashMap<>();

    /** Replaces everything known about one chunkserver with its full report. */
    public synchronized void replaceReport(String serverId, Collection<ChunkHandle> handles) {
        forgetServer(serverId);
        for (ChunkHandle handle : handles) {
            add(handle, serverId);
        }
    }

    /** Records that these chunkservers hold the chunk (e.g. the chain that acknowledged it). */
    public synchronized void add(ChunkHandle handle, Collection<String> serverIds) {
        for (String id : serverIds) {
            add(handle, id);
        }
    }

    private void add(ChunkHandle handle, String serverId) {
        holders.computeIfAbsent(handle.value(), h -> new HashSet<>(4)).add(serverId);
        held.computeIfAbsent(serverId, s -> new HashSet<>()).add(handle.value());
    }

    /** Forgets that the chunkserver holds these chunks (it was told to delete them). */
    public synchronized void remove(String serverId, Collection<ChunkHandle> handles) {
        Set<Long> mine = held.get(serverId);
        for (ChunkHandle handle : handles) {
            if (mine != null) {
                mine.remove(handle.value());
            }
            removeHolder(handle.value(), serverId);
        }
    }

    /**
     * Forgets the chunks everywhere and returns who held each one, so they can be told to delete them.
     */
    public synchronized Map<ChunkHandle, Set<String>> removeAll(Collection<ChunkHandle> handles) {
        Map<ChunkHandle, Set<String>> out = new HashMap<>();
        for (ChunkHandle handle : handles) {
            Set<String> ids = holders.remove(handle.value());
            if (ids != null) {
                for (String id : ids) {
                    held.getOrDefault(id, Set.of()).remove(handle.value());
                }
                out.put(handle, ids);
            }
        }
        return out;
    }

    /** Forgets everything about a chunkserver (it is gone for good, or about to report afresh). */
    public synchronized void forgetServer(String serverId) {
        Set<Long> mine = held.remove(serverId);
        if (mine != null) {
            for (Long handle : mine) {
                removeHolder(handle, serverId);
            }
        }
    }

    /** The ids of the chunkservers that hold a chunk and pass the filter (e.g. are alive). */
    public synchronized List<String> holders(ChunkHandle handle, Predicate<String> filter) {
        return holders.getOrDefault(handle.value(), Set.of()).stream().filter(filter).sorted().toList();
    }

    /** The chunks a chunkserver holds, as far as is known. */
    public synchronized List<ChunkHandle> heldBy(String serverId) {
        return held.getOrDefault(serverId, Set.of()).stream().map(ChunkHandle::new).toList();
    }

    /** How many holders of a chunk pass the filter. */
    public synchronized int count(ChunkHandle handle, Predicate<String> filter) {
        int n = 0;
        for (String id : holders.getOrDefault(handle.value(), Set.of())) {
            if (filter.test(id)) {
                n++;
            }
        }
        return n;
    }

    private void removeHolder(long handle, String serverId) {
        Set<String> ids = holders.get(handle);
        if (ids != null && ids.remove(serverId) && ids.isEmpty()) {
            holders.remove(handle);
        }
    }
}
