package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Chunks a client asked for while they were short of replicas: among chunks equally endangered,
 * repair copies these first (the second priority, after the replica count). A chunk leaves
 * the set once the planner finds it no longer needs a copy. Thread-safe; bounded by the number of
 * under-replicated chunks.
 */
public final class ReadDemand {
    private final Set<Long> waiting = new HashSet<>();

    /** Notes that a client's layout included this chunk with fewer good replicas than wanted. */
    public synchronized void waitedOn(ChunkHandle handle) {
        waiting.add(handle.value());
    }

    public synchronized boolean isWaitedOn(ChunkHandle handle) {
        return waiting.contains(handle.value());
    }

    /** Keeps only the chunks that still need a copy. */
    public synchronized void retainOnly(Collection<ChunkHandle> stillShort) {
        Set<Long> keep = new HashSet<>();
        stillShort.forEach(h -> keep.add(h.value()));
        waiting.retainAll(keep);
    }
}
