package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import io.granary.common.MonotonicClock;
import io.granary.common.SteadyCutoff;
import io.granary.master.model.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lazy garbage collection, GFS-style (§4.4): nothing is deleted from chunkservers at delete time.
 * Deleted files' chunks wait in the trash for the grace period (readers of a replaced file finish);
 * chunk reports are then compared with the metadata, and every replica nobody needs is deleted through
 * the next heartbeat. The grace period is compared with times stored in Redis through a
 * {@link SteadyCutoff}, so a wall clock step forward never ends it early. Thread-safe.
 */
public final class GarbageCollector {
    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    /** Trash entries emptied per script call. */
    static final int PURGE_BATCH = 1_000;

    private final String masterId;
    private final MetadataStore store;
    private final ChunkLocations locations;
    private final DeleteQueue deletes;
    private final Duration grace;
    private final SteadyCutoff clock;
    private final MonotonicClock ticks = MonotonicClock.system();
    /**
     * Per chunkserver, the orphans its reports have shown and since when (on {@link #ticks}): an
     * orphan is deleted only once its reports have shown it for the grace period.
     */
    private final Map<String, Map<ChunkHandle, Long>> orphansSince = new ConcurrentHashMap<>();

    public GarbageCollector(String masterId, MetadataStore store, ChunkLocations locations, DeleteQueue deletes,
                            Duration grace, Clock clock) {
        this(masterId, store, locations, deletes, grace, new SteadyCutoff(clock, MonotonicClock.system()));
    }

    public GarbageCollector(String masterId, MetadataStore store, ChunkLocations locations, DeleteQueue deletes,
                            Duration grace, SteadyCutoff clock) {
        this.masterId = masterId;
        this.store = store;
        this.locations = locations;
        this.deletes = deletes;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * Applies a chunkserver's full chunk report: it now holds exactly these chunks. The ones nobody
     * needs (orphans: unknown to the metadata, as chunks written after the backup a namespace was
     * restored from are) are queued for deletion on it once its reports have shown them as orphans
     * for the grace period, so that a metadata store that is briefly wrong (a restore, a failover to
     * a replica that was behind) costs no data at once. Blocks on one store call per 10,000 handles.
     *
     * @throws io.granary.common.GranaryException when the store cannot classify them; locations are
     *     updated all the same, and nothing is deleted
     */
    public void applyReport(String serverId, Collection<ChunkHandle> reported) {
        // A report is the truth about locations whatever the metadata says, so record it first; but a
        // replica already ordered deleted is gone as far as anyone may count (a report sent before the
        // order reached the chunkserver must not bring back a replica that a move or a trim took away).
        locations.replaceReport(serverId, deletes.notQueued(serverId, reported));
        if (reported.isEmpty()) {
            return;
        }
        List<ChunkHandle> orphans = store.findOrphans(reported, clock.nowMs(), grace.toMillis());
        List<ChunkHandle> due = dueForDeletion(serverId, orphans);
        if (!due.isEmpty()) {
            log.info("{}: {} holds {} unneeded chunk(s) of {} reported; deleting them", masterId, serverId,
                    due.size(), reported.size());
            locations.remove(serverId, due);
            deletes.add(serverId, due);
        }
    }

    /** Of {@code orphans}, now reported by {@code serverId}, those it has reported as orphans for the grace period. */
    private List<ChunkHandle> dueForDeletion(String serverId, List<ChunkHandle> orphans) {
        long now = ticks.millis();
        Map<ChunkHandle, Long> previous = orphansSince.getOrDefault(serverId, Map.of());
        Map<ChunkHandle, Long> current = new HashMap<>();
        List<ChunkHandle> due = new ArrayList<>();
        for (ChunkHandle orphan : orphans) {
            long since = previous.getOrDefault(orphan, now);
            if (now - since >= grace.toMillis()) {
                due.add(orphan);
            } else {
                current.put(orphan, since);
            }
        }
        if (current.isEmpty()) {
            orphansSince.remove(serverId);
        } else {
            orphansSince.put(serverId, current);
            log.debug("{}: {} holds {} chunk(s) unknown to the metadata; deleted if still so after {}", masterId,
                    serverId, current.size(), grace);
        }
        return due;
    }

    /** Chunks nobody needs anymore: every chunkserver known to hold one is told to delete it. */
    public void discard(Collection<ChunkHandle> handles) {
        if (handles.isEmpty()) {
            return;
        }
        Map<ChunkHandle, Set<String>> holders = locations.removeAll(handles);
        holders.forEach((handle, ids) -> ids.forEach(id -> deletes.add(id, List.of(handle))));
        // holders not known yet (chunk written, never reported) get it in their next report's orphans
        log.debug("{}: discarding {} chunk(s), {} with known replicas", masterId, handles.size(), holders.size());
    }

    /** Empties the trash of entries older than the grace period and discards their chunks; returns how many. */
    public int purgeTrash() {
        long cutoff = clock.cutoffMs(grace);
        int total = 0;
        List<ChunkHandle> batch;
        do {
            batch = store.purgeTrash(cutoff, PURGE_BATCH);
            discard(batch);
            total += batch.size();
        } while (batch.size() == PURGE_BATCH);
        if (total > 0) {
            log.info("{}: {} deleted chunk(s) passed their grace period", masterId, total);
        }
        return total;
    }
}
