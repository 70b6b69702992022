package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chunks each chunkserver should delete, handed out with its next heartbeat (GFS §4.4: the master
 * piggybacks deletions on heartbeats). Thread-safe.
 */
public final class DeleteQueue {
    /** Handles sent per heartbeat at most, so one message stays small; the rest wait for the next. */
    public static final int MAX_PER_HEARTBEAT = 10_000;

    private final Map<String, Set<ChunkHandle>> queued = new HashMap<>();

    public synchronized void add(String serverId, Collection<ChunkHandle> handles) {
        if (!handles.isEmpty()) {
            queued.computeIfAbsent(serverId, s -> new LinkedHashSet<>()).addAll(handles);
        }
    }

    /** Takes up to {@link #MAX_PER_HEARTBEAT} handles to send; give them back with {@link #add} if sending fails. */
    public synchronized List<ChunkHandle> take(String serverId) {
        Set<ChunkHandle> mine = queued.get(serverId);
        if (mine == null) {
            return List.of();
        }
        List<ChunkHandle> out = new ArrayList<>(Math.min(mine.size(), MAX_PER_HEARTBEAT));
        for (Iterator<ChunkHandle> it = mine.iterator(); it.hasNext() && out.size() < MAX_PER_HEARTBEAT; ) {
            out.add(it.next());
            it.remove();
        }
        if (mine.isEmpty()) {
            queued.remove(serverId);
        }
        return out;
    }

    /** Of {@code handles}, those whose deletion does not wait to be sent to this chunkserver. */
    public synchronized List<ChunkHandle> notQueued(String serverId, Collection<ChunkHandle> handles) {
        Set<ChunkHandle> mine = queued.getOrDefault(serverId, Set.of());
        return handles.stream().filter(h -> !mine.contains(h)).toList();
    }

    /** Replicas waiting to be sent to this chunkserver. */
    public synchronized int queued(String serverId) {
        Set<ChunkHandle> mine = queued.get(serverId);
        return mine == null ? 0 : mine.size();
    }

    public synchronized void forget(String serverId) {
        queued.remove(serverId);
    }
}
