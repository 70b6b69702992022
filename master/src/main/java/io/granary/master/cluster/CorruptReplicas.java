package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replicas known to have failed their checksum, reported by clients and by the chunkservers that hold
 * them. Soft state like {@link ChunkLocations}: a restarted master forgets it, and learns again from
 * the next read or scrub that trips over the damage. A corrupt replica is never listed to readers,
 * does not count as a live copy, and is deleted once the chunk has enough good ones. Thread-safe.
 */
public final class CorruptReplicas {
    private final Map<Long, Set<String>> bad = new HashMap<>();

    /** Records a bad replica; returns false when it was known already. */
    public synchronized boolean add(ChunkHandle handle, String serverId) {
        return bad.computeIfAbsent(handle.value(), h -> new HashSet<>(2)).add(serverId);
    }

    public synchronized boolean isCorrupt(ChunkHandle handle, String serverId) {
        Set<String> ids = bad.get(handle.value());
        return ids != null && ids.contains(serverId);
    }

    /** The chunkservers holding a bad replica of the chunk, sorted. */
    public synchronized List<String> holders(ChunkHandle handle) {
        return bad.getOrDefault(handle.value(), Set.of()).stream().sorted().toList();
    }

    /** Forgets one bad replica (it was deleted). */
    public synchronized void remove(ChunkHandle handle, String serverId) {
        Set<String> ids = bad.get(handle.value());
        if (ids != null && ids.remove(serverId) && ids.isEmpty()) {
            bad.remove(handle.value());
        }
    }
}
