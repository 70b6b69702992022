package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides one round of repair (GFS §4.3, HDFS's replication monitor) from the master's soft state:
 * which chunks need copies, from where to where, and which replicas to delete. Pure decision: it
 * starts nothing and changes nothing but the {@link CopyTracker} slots it reserves. Walks every
 * committed chunk: O(chunks) per round.
 *
 * <p>A chunk is immutable once written (a file is replaced whole, with new handles), so a replica
 * can only be stale by being incomplete or corrupt. Incomplete ones are never reported (a
 * chunkserver lists committed chunks only) and corrupt ones are reported when a checksum fails;
 * chunks therefore carry no version number.
 *
 * <p>A copy goes to a live chunkserver without a good replica of the chunk: one without any replica
 * first, else one whose replica is bad, which the copy then replaces in place (with replication 3
 * on three chunkservers there is no other place to go).
 *
 * <p>A draining or decommissioned chunkserver ({@link Decommissions}) is never a target, and its
 * replicas do not count towards a chunk's replication here, so every chunk it holds is copied to
 * chunkservers in service; it stays a source, and its replicas are never trimmed as surplus.
 */
public final class RepairPlanner {
    private final ChunkServerRegistry registry;
    private final ChunkLocations locations;
    private final ReplicationIndex replication;
    private final CorruptReplicas corrupt;
    private final CopyTracker copies;
    private final ReadDemand demand;
    private final Decommissions decommissions;

    public RepairPlanner(ChunkServerRegistry registry, ChunkLocations locations, ReplicationIndex replication,
                         CorruptReplicas corrupt, CopyTracker copies) {
        this(registry, locations, replication, corrupt, copies, new ReadDemand(), new Decommissions());
    }

    /**
     * @param demand        chunks clients are waiting on: first among equally endangered ones
     * @param decommissions chunkservers leaving the cluster: sources only, their replicas not counted
     */
    public RepairPlanner(ChunkServerRegistry registry, ChunkLocations locations, ReplicationIndex replication,
                         CorruptReplicas corrupt, CopyTracker copies, ReadDemand demand, Decommissions decommissions) {
        this.demand = demand;
        this.decommissions = decommissions;
        this.registry = registry;
        this.locations = locations;
        this.replication = replication;
        this.corrupt = corrupt;
        this.copies = copies;
    }

    /** Plans a round and reserves copy slots for the copies it returns; the caller must start or finish them. */
    public RepairPlan plan() {
        Map<String, ChunkServerInfo> live = registry.live().stream()
                .collect(Collectors.toMap(ChunkServerInfo::id, Function.identity()));
        List<Need> needs = new ArrayList<>();
        List<RepairPlan.Delete> deletes = new ArrayList<>();
        int[] missing = {0};
        int[] corruptChunks = {0};
        replication.forEach((handle, wanted) -> {
            List<String> holders = locations.holders(handle, id -> true);
            List<String> bad = corrupt.holders(handle);
            List<String> good = holders.stream().filter(live::containsKey).filter(id -> !bad.contains(id)).toList();
            List<String> counted = good.stream().filter(decommissions::inService).toList();
            Set<String> inFlight = copies.targets(handle);
            if (!bad.isEmpty()) {
                corruptChunks[0]++;
            }
            if (good.isEmpty()) {
                missing[0]++;
            } else if (counted.size() + inFlight.size() < wanted) {
                needs.add(new Need(handle, good, counted.size(), bad, inFlight,
                        wanted - counted.size() - inFlight.size()));
            } else if (inFlight.isEmpty()) {
                trim(handle, wanted, counted, bad, live, deletes);
            }
        });
        // Most endangered first: fewest good replicas, then chunks a client waits on, then the largest shortfall.
        demand.retainOnly(needs.stream().map(Need::handle).toList());
        needs.sort(Comparator.comparingInt(Need::counted)
                .thenComparing(n -> !demand.isWaitedOn(n.handle))
                .thenComparing(n -> -n.shortBy));
        List<RepairPlan.Copy> planned = new ArrayList<>();
        int queued = 0;
        for (Need need : needs) {
            int started = schedule(need, live, planned);
            if (started < need.shortBy) {
                queued++;
            }
        }
        return new RepairPlan(planned, deletes, queued, needs.size(), missing[0], corruptChunks[0]);
    }

    /** Starts as many of a chunk's missing copies as the throttles allow; returns how many. */
    private int schedule(Need need, Map<String, ChunkServerInfo> live, List<RepairPlan.Copy> planned) {
        Set<String> excluded = new HashSet<>(need.good);
        excluded.addAll(need.inFlight);
        int started = 0;
        while (started < need.shortBy && copies.clusterHasRoom()) {
            Optional<ChunkServerInfo> source = need.good.stream().map(live::get)
                    .filter(s -> copies.serverHasRoom(s.id()))
                    .min(Comparator.comparingInt(s -> copies.busy(s.id())));
            Optional<ChunkServerInfo> target = live.values().stream()
                    .filter(s -> !excluded.contains(s.id()) && decommissions.inService(s.id())
                            && copies.serverHasRoom(s.id()) && s.freeBytes() > 0)
                    .max(Comparator.comparing((ChunkServerInfo s) -> !need.bad.contains(s.id()))
                            .thenComparingLong(ChunkServerInfo::freeBytes));
            if (source.isEmpty() || target.isEmpty()
                    || !copies.start(need.handle, source.get().id(), target.get().id())) {
                break;
            }
            excluded.add(target.get().id());
            planned.add(new RepairPlan.Copy(need.handle, source.get(), target.get(), need.counted,
                    need.bad.contains(target.get().id())));
            started++;
        }
        return started;
    }

    /**
     * With enough good replicas and no copy running: corrupt replicas go, and so does any surplus
     * beyond the wanted count (a chunkserver came back), taken from the fullest chunkservers.
     * {@code good} are the counted replicas only: a draining one is kept.
     */
    private static void trim(ChunkHandle handle, int wanted, List<String> good, List<String> bad,
                             Map<String, ChunkServerInfo> live, List<RepairPlan.Delete> deletes) {
        if (good.size() >= wanted) {
            bad.forEach(id -> deletes.add(new RepairPlan.Delete(handle, id, true)));
        }
        good.stream()
                .sorted(Comparator.comparingLong((String id) -> live.get(id).freeBytes()))
                .limit(Math.max(0, good.size() - wanted))
                .forEach(id -> deletes.add(new RepairPlan.Delete(handle, id, false)));
    }

    /**
     * A chunk short of {@code shortBy} copies beyond those in flight: {@code good} may be copied from,
     * {@code counted} of them are in service; {@code bad} hold a bad replica.
     */
    private record Need(ChunkHandle handle, List<String> good, int counted, List<String> bad, Set<String> inFlight,
                        int shortBy) {
    }
}
