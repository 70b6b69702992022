package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import io.granary.master.model.Decommission;
import io.granary.master.model.DecommissionState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the draining chunkservers, every heartbeat interval once safe mode is over: counts, for
 * each, the chunks it holds that other live chunkservers in service do not yet hold at their
 * replication (the repair rounds copy them, since a draining replica does not count there), and
 * of those the chunks nobody can take; one with none left, whose chunk report this master has,
 * becomes decommissioned. O(chunks on the draining chunkservers) per round. Never throws, so the
 * schedule never stops.
 */
public final class DecommissionTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DecommissionTask.class);

    private final String masterId;
    private final Decommissioner decommissioner;
    private final Decommissions decommissions;
    private final ChunkServerRegistry registry;
    private final ChunkLocations locations;
    private final ReplicationIndex replication;
    private final CorruptReplicas corrupt;
    private final SafeMode safeMode;

    public DecommissionTask(String masterId, Decommissioner decommissioner, Decommissions decommissions,
                            ChunkServerRegistry registry, ChunkLocations locations, ReplicationIndex replication,
                            CorruptReplicas corrupt, SafeMode safeMode) {
        this.masterId = masterId;
        this.decommissioner = decommissioner;
        this.decommissions = decommissions;
        this.registry = registry;
        this.locations = locations;
        this.replication = replication;
        this.corrupt = corrupt;
        this.safeMode = safeMode;
    }

    @Override
    public void run() {
        try {
            if (safeMode.check()) {
                return; // locations are still being learned: every chunk would look short elsewhere
            }
            for (Map.Entry<String, Decommission> entry : decommissions.records().entrySet()) {
                String id = entry.getKey();
                if (registry.get(id).isEmpty()) {
                    decommissioner.forget(id); // replaced at its address: its stored record went with it
                } else if (entry.getValue().state() == DecommissionState.DRAINING) {
                    check(id);
                }
            }
        } catch (RuntimeException | Error e) {
            log.warn("{}: decommission check failed; next round as scheduled", masterId, e);
        }
    }

    /** Measures one draining chunkserver, and marks it decommissioned once nothing is left to copy. */
    void check(String id) {
        List<ChunkServerInfo> serving = registry.live().stream().filter(s -> decommissions.inService(s.id())).toList();
        Set<String> servingIds = serving.stream().map(ChunkServerInfo::id).collect(Collectors.toSet());
        Set<String> withRoom = serving.stream().filter(s -> s.freeBytes() > 0).map(ChunkServerInfo::id)
                .collect(Collectors.toSet());
        long toMove = 0;
        long unmovable = 0;
        int unmovableReplication = 0;
        for (ChunkHandle handle : locations.heldBy(id)) {
            int wanted = replication.wanted(handle);
            if (wanted == 0) {
                continue; // not committed: an upload in progress or garbage, neither of which needs a home
            }
            List<String> bad = corrupt.holders(handle);
            List<String> elsewhere = locations.holders(handle, h -> servingIds.contains(h) && !bad.contains(h));
            if (elsewhere.size() >= wanted) {
                continue;
            }
            toMove++;
            long targets = withRoom.stream().filter(t -> !elsewhere.contains(t)).count();
            if (elsewhere.size() + targets < wanted) {
                unmovable++;
                unmovableReplication = Math.max(unmovableReplication, wanted);
            }
        }
        boolean reported = registry.hasReported(id);
        if (toMove == 0 && reported) {
            decommissioner.finish(id);
            return;
        }
        decommissions.progress(id, new Decommissions.DrainProgress(toMove, unmovable,
                detail(reported, unmovable, unmovableReplication, withRoom.size())));
    }

    private static String detail(boolean reported, long unmovable, int replication, int withRoom) {
        if (!reported) {
            return "waiting for its chunk report: it has not answered this master yet";
        }
        if (unmovable > 0) {
            return unmovable + " chunk(s) cannot be copied elsewhere: replication " + replication + " needs "
                    + replication + " chunkservers in service with free space; " + withRoom + " are live";
        }
        return "";
    }
}
