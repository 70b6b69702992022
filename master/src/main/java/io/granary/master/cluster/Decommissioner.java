package io.granary.master.cluster;

import io.granary.common.GranaryException;
import io.granary.master.model.Decommission;
import io.granary.master.model.DecommissionState;
import io.granary.master.model.MetadataStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes chunkservers out of service and back (HDFS's decommissioning): the operator's commands, the
 * step from draining to decommissioned, and the records' reload at activation. Every change is
 * stored first, then applied in memory, so a master that takes over (or restarts) goes on draining.
 * Changes are serialized by this object's lock, so a cancel never crosses a draining that ends.
 * Blocks on the store.
 */
public final class Decommissioner {
    private static final Logger log = LoggerFactory.getLogger(Decommissioner.class);

    private final String masterId;
    private final MetadataStore store;
    private final ChunkServerRegistry registry;
    private final Decommissions decommissions;
    private final Clock clock;

    public Decommissioner(String masterId, MetadataStore store, ChunkServerRegistry registry,
                          Decommissions decommissions, Clock clock) {
        this.masterId = masterId;
        this.store = store;
        this.registry = registry;
        this.decommissions = decommissions;
        this.clock = clock;
    }

    /** Reloads the stored records (at activation). */
    public synchronized void restore() {
        Map<String, Decommission> stored = store.decommissions();
        decommissions.load(stored);
        if (!stored.isEmpty()) {
            log.info("{}: restored {} decommission record(s): {}", masterId, stored.size(), stored);
        }
    }

    /**
     * Starts draining a chunkserver: from now on it takes no new chunk, and every chunk it holds is
     * copied to other chunkservers until they alone hold its replication. Idempotent: a chunkserver
     * already draining or decommissioned keeps its state and start time.
     *
     * @throws GranaryException NOT_FOUND for a chunkserver that is not registered; UNAVAILABLE when the store is down
     */
    public synchronized DecommissionStatus start(String id) {
        requireRegistered(id);
        if (decommissions.record(id).isEmpty()) {
            Decommission draining = new Decommission(DecommissionState.DRAINING, clock.millis());
            store.saveDecommission(id, draining);
            decommissions.put(id, draining);
            log.info("{}: chunkserver {} is draining: its chunks are copied elsewhere, it takes no new chunk",
                    masterId, id);
        }
        return decommissions.status(id);
    }

    /**
     * Returns a draining or decommissioned chunkserver to service: it takes new chunks again and its
     * replicas count, so surplus copies made meanwhile are trimmed. Idempotent: cancelling for a
     * chunkserver in service succeeds and changes nothing.
     *
     * @throws GranaryException NOT_FOUND for a chunkserver that is not registered; UNAVAILABLE when the store is down
     */
    public synchronized DecommissionStatus cancel(String id) {
        requireRegistered(id);
        Optional<Decommission> current = decommissions.record(id);
        if (current.isPresent()) {
            store.removeDecommission(id);
            decommissions.remove(id);
            log.info("{}: chunkserver {} is back in service (was {})", masterId, id, current.get().state().wireName());
        }
        return DecommissionStatus.NORMAL;
    }

    /**
     * Marks a draining chunkserver decommissioned; nothing when it is no longer draining (cancelled
     * since it was checked).
     */
    synchronized void finish(String id) {
        Optional<Decommission> current = decommissions.record(id);
        if (current.isEmpty() || current.get().state() != DecommissionState.DRAINING) {
            return;
        }
        Decommission done = new Decommission(DecommissionState.DECOMMISSIONED, current.get().sinceMs());
        store.saveDecommission(id, done);
        decommissions.put(id, done);
        log.info("{}: chunkserver {} is decommissioned: every chunk it holds has its replication elsewhere; "
                + "it may be stopped", masterId, id);
    }

    /** Forgets the in-memory record of a chunkserver that is no longer registered (its stored one went with it). */
    synchronized void forget(String id) {
        decommissions.remove(id);
    }

    private void requireRegistered(String id) {
        if (id == null || id.isBlank()) {
            throw GranaryException.invalid("a chunkserver id is required");
        }
        if (registry.get(id).isEmpty()) {
            throw GranaryException.notFound("no chunkserver " + id + " is registered");
        }
    }
}
