package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import io.granary.common.GranaryException;
import io.granary.master.model.ChunkOwner;
import io.granary.master.model.MetadataStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's health as operators see it (counts for {@code GetCluster}, the balancer's state) and the entry point of
 * bad-replica reports. In memory apart from the trash count, one Redis command. Thread-safe.
 */
public final class ClusterHealth {
    private static final Logger log = LoggerFactory.getLogger(ClusterHealth.class);
    /** Problems listed by one fsck at most, so its answer stays a reasonable message. */
    public static final int FSCK_MAX_PROBLEMS = 10_000;

    private final String masterId;
    private final ChunkServerRegistry registry;
    private final ChunkLocations locations;
    private final ReplicationIndex replication;
    private final CorruptReplicas corrupt;
    private final CopyTracker copies;
    private final DeleteQueue deletes;
    private final RepairTask repairs;
    private final BalancerTask balancer;
    private final SafeMode safeMode;
    private final MetadataStore store;
    private final Decommissions decommissions;

    public ClusterHealth(String masterId, ChunkServerRegistry registry, ChunkLocations locations,
                         ReplicationIndex replication, CorruptReplicas corrupt, CopyTracker copies,
                         DeleteQueue deletes, RepairTask repairs, BalancerTask balancer, SafeMode safeMode,
                         MetadataStore store, Decommissions decommissions) {
        this.decommissions = decommissions;
        this.masterId = masterId;
        this.registry = registry;
        this.locations = locations;
        this.replication = replication;
        this.corrupt = corrupt;
        this.copies = copies;
        this.deletes = deletes;
        this.repairs = repairs;
        this.balancer = balancer;
        this.safeMode = safeMode;
        this.store = store;
    }

    /**
     * Records that a replica failed its checksum. Idempotent. The replica stops being listed at once;
     * the repair rounds copy the chunk elsewhere and then delete it.
     */
    public void reportBad(ChunkHandle handle, String serverId, String reporter) {
        if (corrupt.add(handle, serverId)) {
            log.warn("{}: replica of chunk {} on {} is corrupt (reported by {}); it will be replaced", masterId,
                    handle, serverId, reporter);
        }
    }

    /**
     * Chunkservers, replication counts and repair counts, computed now: O(committed chunks). The
     * trash counts as empty while the store is unreachable.
     */
    public ClusterStatus status() {
        List<ChunkServerInfo> all = registry.all();
        Set<String> live = all.stream().filter(ChunkServerInfo::alive).map(ChunkServerInfo::id).collect(Collectors.toSet());
        ReplicationIndex.Counts counts = replication.count(locations, live, corrupt);
        RepairPlan plan = repairs.lastPlan();
        long trash = trashCount();
        ClusterStatus.RepairStatus repair = new ClusterStatus.RepairStatus(plan.corrupt(), plan.queued(),
                copies.running(), gcPendingBytes(all, trash), trash, safeMode.detail());
        Map<String, DecommissionStatus> leaving = decommissions.records().keySet().stream()
                .collect(Collectors.toMap(id -> id, decommissions::status));
        return new ClusterStatus(all, counts.underReplicated(), counts.missing(), repair, leaving, balancer.status());
    }

    /**
     * Lists the committed chunks that are missing, have a corrupt replica or are under-replicated,
     * with their files: O(committed chunks) in memory, then a namespace walk in the store for the
     * (at most {@value #FSCK_MAX_PROBLEMS}) problem chunks. Blocks on the store.
     *
     * @throws GranaryException UNAVAILABLE when the store cannot be reached
     */
    public FsckReport fsck() {
        Set<String> live = registry.live().stream().map(ChunkServerInfo::id).collect(Collectors.toSet());
        List<FsckReport.Problem> problems = new ArrayList<>();
        long[] checked = {0};
        replication.forEach((handle, wanted) -> {
            checked[0]++;
            List<String> bad = corrupt.holders(handle);
            int good = locations.count(handle, id -> live.contains(id) && !bad.contains(id));
            FsckReport.State state = good == 0 ? FsckReport.State.MISSING
                    : !bad.isEmpty() ? FsckReport.State.CORRUPT
                    : good < wanted ? FsckReport.State.UNDER_REPLICATED : null;
            if (state != null) {
                problems.add(new FsckReport.Problem(handle, "", -1, wanted, good, bad, state));
            }
        });
        problems.sort(Comparator.comparing(FsckReport.Problem::good).thenComparing(FsckReport.Problem::state));
        List<FsckReport.Problem> shown = problems.subList(0, Math.min(problems.size(), FSCK_MAX_PROBLEMS));
        Map<ChunkHandle, ChunkOwner> owners = store.owners(shown.stream().map(FsckReport.Problem::handle).toList());
        return new FsckReport(checked[0], shown.stream().map(p -> withOwner(p, owners.get(p.handle()))).toList());
    }

    private static FsckReport.Problem withOwner(FsckReport.Problem p, ChunkOwner owner) {
        return owner == null ? p
                : new FsckReport.Problem(p.handle(), owner.path(), owner.index(), p.wanted(), p.good(), p.corrupt(),
                        p.state());
    }

    /** The trash is counted in Redis; during an outage the rest of the answer still matters. */
    private long trashCount() {
        try {
            return store.trashCount();
        } catch (GranaryException e) {
            return 0;
        }
    }

    private long gcPendingBytes(List<ChunkServerInfo> servers, long trashChunks) {
        long bytes = 0;
        long used = 0;
        long chunks = 0;
        for (ChunkServerInfo server : servers) {
            bytes += deletes.queued(server.id()) * averageChunk(server.usedBytes(), server.chunkCount());
            used += server.usedBytes();
            chunks += server.chunkCount();
        }
        return bytes + trashChunks * averageChunk(used, chunks);
    }

    private static long averageChunk(long usedBytes, long chunkCount) {
        return chunkCount == 0 ? 0 : usedBytes / chunkCount;
    }
}
