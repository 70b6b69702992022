package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The repair copies running now, so the planner neither copies a chunk twice nor overloads a
 * chunkserver: it counts copies per chunkserver (as source or target) and in the whole cluster
 * against the limits of {@link io.granary.master.MasterConfig}. Thread-safe.
 */
public final class CopyTracker {
    private final int maxPerServer;
    private final int maxInCluster;
    private final Map<Long, Set<String>> targets = new HashMap<>();
    private final Map<String, Integer> busy = new HashMap<>();
    private int running;

    public CopyTracker(int maxPerServer, int maxInCluster) {
        this.maxPerServer = maxPerServer;
        this.maxInCluster = maxInCluster;
    }

    /** Whether the cluster-wide limit leaves room for another copy. */
    public synchronized boolean clusterHasRoom() {
        return running < maxInCluster;
    }

    /** Whether this chunkserver may take part in one more copy. */
    public synchronized boolean serverHasRoom(String serverId) {
        return busy.getOrDefault(serverId, 0) < maxPerServer;
    }

    /** Copies of this chunkserver now. */
    public synchronized int busy(String serverId) {
        return busy.getOrDefault(serverId, 0);
    }

    /** The chunkservers a copy of this chunk is being written to. */
    public synchronized Set<String> targets(ChunkHandle handle) {
        return Set.copyOf(targets.getOrDefault(handle.value(), Set.of()));
    }

    /** Counts a copy as started; false (and nothing counted) when a limit forbids it. */
    public synchronized boolean start(ChunkHandle handle, String sourceId, String targetId) {
        if (running >= maxInCluster || !serverHasRoom(sourceId) || !serverHasRoom(targetId)) {
            return false;
        }
        targets.computeIfAbsent(handle.value(), h -> new HashSet<>(2)).add(targetId);
        busy.merge(sourceId, 1, Integer::sum);
        busy.merge(targetId, 1, Integer::sum);
        running++;
        return true;
    }

    /** Counts a copy as ended, whatever its outcome. */
    public synchronized void finish(ChunkHandle handle, String sourceId, String targetId) {
        Set<String> ids = targets.get(handle.value());
        if (ids != null && ids.remove(targetId) && ids.isEmpty()) {
            targets.remove(handle.value());
        }
        busy.computeIfPresent(sourceId, (id, n) -> n > 1 ? n - 1 : null);
        busy.computeIfPresent(targetId, (id, n) -> n > 1 ? n - 1 : null);
        running--;
    }

    public synchronized int running() {
        return running;
    }
}
