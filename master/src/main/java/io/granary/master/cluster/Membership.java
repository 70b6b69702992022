package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import io.granary.common.GranaryException;
import io.granary.master.cluster.ChunkServerClient.HeartbeatOrder;
import io.granary.master.cluster.ChunkServerClient.HeartbeatReply;
import io.granary.master.model.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in the cluster: registrations (persisted, so a restarted master heartbeats the same
 * chunkservers again), heartbeat outcomes, and death detection. Thread-safe.
 */
public final class Membership {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final String masterId;
    private final MetadataStore store;
    private final ChunkServerRegistry registry;
    private final ChunkLocations locations;
    private final DeleteQueue deletes;
    private final GarbageCollector gc;
    private final CorruptReplicas corrupt;
    private final SafeMode safeMode;
    private final Duration deadAfter;
    private final Clock clock;

    public Membership(String masterId, MetadataStore store, ChunkServerRegistry registry, ChunkLocations locations,
                      DeleteQueue deletes, GarbageCollector gc, CorruptReplicas corrupt, SafeMode safeMode,
                      Duration deadAfter, Clock clock) {
        this.masterId = masterId;
        this.store = store;
        this.registry = registry;
        this.locations = locations;
        this.deletes = deletes;
        this.gc = gc;
        this.corrupt = corrupt;
        this.safeMode = safeMode;
        this.deadAfter = deadAfter;
        this.clock = clock;
    }

    /**
     * Reloads the persisted registrations (at master start) and enters safe mode until they have
     * reported their chunks. Blocks on the store.
     */
    public void restore() {
        Map<String, String> saved = store.chunkServers();
        saved.forEach((id, address) -> registry.restore(id, address, clock.millis()));
        log.info("{}: restored {} chunkserver registration(s)", masterId, saved.size());
        safeMode.begin(saved.keySet());
    }

    /**
     * Registers a chunkserver with its full chunk report and the reported chunks it found corrupt.
     * Idempotent. Blocks on the store.
     *
     * @throws GranaryException INVALID_ARGUMENT on a blank id or address; UNAVAILABLE when the store is down
     */
    public void register(String id, String address, long capacityBytes, long usedBytes, List<ChunkHandle> handles,
                         List<ChunkHandle> corruptHandles) {
        if (id == null || id.isBlank() || address == null || address.isBlank()) {
            throw GranaryException.invalid("a chunkserver registers with a non-empty id and address");
        }
        store.saveChunkServer(id, address);
        registry.register(id, address, capacityBytes, usedBytes, handles.size(), true, clock.millis())
                .ifPresent(this::forget);
        log.info("{}: registered chunkserver {} at {} with {} chunk(s)", masterId, id, address, handles.size());
        applyReport(id, handles, corruptHandles);
    }

    /**
     * The next heartbeat for a chunkserver: chunks to delete there, and whether to ask for a report.
     * In safe mode deletions wait in the queue: nothing is deleted on a partial picture.
     */
    public HeartbeatOrder orderFor(String id) {
        List<ChunkHandle> toDelete = safeMode.active() ? List.of() : deletes.take(id);
        return new HeartbeatOrder(masterId, registry.nextHeartbeatWantsReport(id), toDelete);
    }

    /** Applies a heartbeat answer. Blocks on the store when it carries a report. */
    public void heartbeatSucceeded(ChunkServerInfo target, HeartbeatOrder sent, HeartbeatReply reply) {
        if (registry.get(target.id()).isEmpty()) {
            return; // forgotten (replaced at its address) while the heartbeat was in flight
        }
        if (!reply.chunkServerId().equals(target.id())) {
            replaced(target, reply);
            return;
        }
        locations.remove(target.id(), sent.deletes());
        boolean back = registry.heartbeatSucceeded(target.id(), reply.capacityBytes(), reply.usedBytes(),
                reply.chunkCount(), reply.report().isPresent(), clock.millis());
        if (back) {
            log.info("{}: chunkserver {} at {} is alive", masterId, target.id(), target.address());
        }
        reply.report().ifPresent(report -> applyReport(target.id(), report, reply.corrupt()));
    }

    /** Keeps the deletions of a heartbeat that did not get through for the next one. */
    public void heartbeatFailed(ChunkServerInfo target, HeartbeatOrder sent, Throwable failure) {
        deletes.add(target.id(), sent.deletes());
        log.debug("{}: heartbeat to {} at {} failed: {}", masterId, target.id(), target.address(), failure.getMessage());
    }

    /** Declares dead the chunkservers silent for longer than dead-after. */
    public void detectDeaths() {
        for (String id : registry.markSilentDead(deadAfter.toMillis())) {
            log.warn("{}: chunkserver {} is dead: no heartbeat for {} ms", masterId, id, deadAfter.toMillis());
        }
    }

    /** A different chunkserver answers at a registered address: the old one is gone, the new one takes its place. */
    private void replaced(ChunkServerInfo target, HeartbeatReply reply) {
        String newId = reply.chunkServerId();
        log.warn("{}: {} answers at {} where {} was registered; forgetting {}", masterId, newId, target.address(),
                target.id(), target.id());
        registry.remove(target.id());
        forget(target.id());
        store.saveChunkServer(newId, target.address());
        registry.register(newId, target.address(), reply.capacityBytes(), reply.usedBytes(), reply.chunkCount(),
                reply.report().isPresent(), clock.millis()).ifPresent(this::forget);
        reply.report().ifPresent(report -> applyReport(newId, report, reply.corrupt()));
    }

    private void applyReport(String id, List<ChunkHandle> report, List<ChunkHandle> corruptHere) {
        // Known bad replicas first, so that no reader is handed one between the two steps.
        corruptHere.forEach(handle -> corrupt.add(handle, id));
        try {
            gc.applyReport(id, report);
        } catch (GranaryException e) {
            registry.requestReport(id);
            log.warn("{}: chunk report of {} not checked for garbage: {}", masterId, id, e.getMessage());
        } finally {
            safeMode.reported(id); // locations are recorded whether or not the garbage check ran
        }
    }

    private void forget(String id) {
        locations.forgetServer(id);
        deletes.forget(id);
        store.removeChunkServer(id);
        log.info("{}: forgot chunkserver {}", masterId, id);
    }
}
