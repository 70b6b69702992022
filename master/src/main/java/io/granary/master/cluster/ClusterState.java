package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import io.granary.common.meta.Replica;
import io.granary.master.model.CommittedChunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What the namespace needs to know about the cluster: how many chunkservers are alive, where to put a
 * new chunk, where a chunk's live replicas are, and the replication health. In memory only;
 * thread-safe.
 */
public final class ClusterState {
    private final ChunkServerRegistry registry;
    private final ChunkLocations locations;
    private final ReplicationIndex replication;
    private final PlacementPolicy placement;
    private final CorruptReplicas corrupt;
    private final SafeMode safeMode;
    private final ReadDemand demand;

    /**
     * @param corrupt  replicas never to list
     * @param safeMode holds back layouts and uploads after a restart
     * @param demand   where chunks read while short of replicas are noted, so their repair comes first
     */
    public ClusterState(ChunkServerRegistry registry, ChunkLocations locations, ReplicationIndex replication,
                       PlacementPolicy placement, CorruptReplicas corrupt, SafeMode safeMode, ReadDemand demand) {
        this.registry = registry;
        this.locations = locations;
        this.replication = replication;
        this.placement = placement;
        this.corrupt = corrupt;
        this.safeMode = safeMode;
        this.demand = demand;
    }

    /**
     * Fails while the master is in safe mode, when a layout could lack replicas not yet reported.
     *
     * @throws io.granary.common.GranaryException UNAVAILABLE "master in safe mode: 2 of 4 chunkservers reported"
     */
    public void requireOutOfSafeMode() {
        safeMode.requireOut();
    }

    /** Live chunkservers in service: those that may take new chunks. */
    public long liveCount() {
        return placement.serving(registry.all()).size();
    }

    /** Live chunkservers that are draining or decommissioned: alive, yet taking no new chunk. */
    public long leavingCount() {
        return registry.live().size() - liveCount();
    }

    /**
     * Chooses the replica chain of a new chunk and counts its size as promised on each member.
     *
     * @throws io.granary.common.GranaryException UNAVAILABLE or RESOURCE_EXHAUSTED, see {@link PlacementPolicy}
     */
    public List<Replica> placeChunk(int replicas, long chunkSizeBytes) {
        return placeChunk(replicas, chunkSizeBytes, Set.of());
    }

    /** As {@link #placeChunk(int, long)}, never on the chunkservers in {@code avoid} (see {@link PlacementPolicy}). */
    public List<Replica> placeChunk(int replicas, long chunkSizeBytes, Set<String> avoid) {
        List<ChunkServerInfo> chain = placement.choose(registry.all(), replicas, chunkSizeBytes, avoid);
        chain.forEach(s -> registry.promise(s.id(), chunkSizeBytes));
        return chain.stream().map(s -> new Replica(s.id(), s.address())).toList();
    }

    /** The live replicas of a chunk not known to be corrupt, shuffled so that readers spread over them. */
    public List<Replica> liveReplicas(ChunkHandle handle) {
        List<Replica> out = new ArrayList<>();
        for (String id : locations.holders(handle, id -> registry.isLive(id) && !corrupt.isCorrupt(handle, id))) {
            registry.get(id).ifPresent(s -> out.add(new Replica(s.id(), s.address())));
        }
        if (out.size() < replication.wanted(handle)) {
            demand.waitedOn(handle);
        }
        Collections.shuffle(out, ThreadLocalRandom.current());
        return out;
    }

    /**
     * Records where a writer says it wrote chunks, before they are committed: a reader that sees the
     * committed file must find its replicas. Should the commit fail, the chunks become garbage and
     * {@link GarbageCollector#discard} forgets them again.
     */
    public void written(List<CommittedChunk> chunks) {
        for (CommittedChunk chunk : chunks) {
            locations.add(chunk.handle(), chunk.replicas());
        }
    }

    /** Records a commit: the chunks now want this replication and are held where their writer said. */
    public void committed(List<CommittedChunk> chunks, int wantedReplication) {
        for (CommittedChunk chunk : chunks) {
            replication.put(chunk.handle(), wantedReplication);
            locations.add(chunk.handle(), chunk.replicas());
        }
    }

    /** Records a file's new replication: its chunks are now judged against it. */
    public void replicationChanged(List<ChunkHandle> handles, int wantedReplication) {
        replication.changeAll(handles, wantedReplication);
    }

    /** Records that chunks left the namespace (deleted or replaced): they no longer count for health. */
    public void trashed(List<ChunkHandle> handles) {
        replication.removeAll(handles);
    }

    /** Chunkservers and replication health, computed now: O(committed chunks). */
    public ClusterStatus status() {
        List<ChunkServerInfo> all = registry.all();
        Set<String> live = all.stream().filter(ChunkServerInfo::alive).map(ChunkServerInfo::id).collect(Collectors.toSet());
        ReplicationIndex.Counts counts = replication.count(locations, live, corrupt);
        return new ClusterStatus(all, counts.underReplicated(), counts.missing());
    }
}
