package io.granary.master.cluster;

import io.granary.master.cluster.ChunkServerClient.HeartbeatOrder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of heartbeats, run every heartbeat interval: declares silent chunkservers dead, then sends
 * every registered chunkserver (dead ones too, so they can come back) a heartbeat carrying its queued
 * deletions. Calls are asynchronous with a deadline; a chunkserver whose previous heartbeat is still
 * in flight is skipped this round. Never throws, so the schedule never stops.
 */
public final class HeartbeatTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatTask.class);

    private final String masterId;
    private final ChunkServerRegistry registry;
    private final Membership membership;
    private final ChunkServerClient client;
    private final Duration deadline;
    private final Executor replies;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param deadline how long one heartbeat may take
     * @param replies  where answers are handled; they may block on the store, so not an event loop
     */
    public HeartbeatTask(String masterId, ChunkServerRegistry registry, Membership membership,
                         ChunkServerClient client, Duration deadline, Executor replies) {
        this.masterId = masterId;
        this.registry = registry;
        this.membership = membership;
        this.client = client;
        this.deadline = deadline;
        this.replies = replies;
    }

    @Override
    public void run() {
        try {
            membership.detectDeaths();
            registry.all().forEach(this::beat);
        } catch (RuntimeException | Error e) {
            log.warn("{}: heartbeat round failed; next round as scheduled", masterId, e);
        }
    }

    private void beat(ChunkServerInfo target) {
        if (!inFlight.add(target.id())) {
            return;
        }
        HeartbeatOrder order = membership.orderFor(target.id());
        try {
            client.heartbeat(target.address(), order, deadline)
                    .whenCompleteAsync((reply, failure) -> handle(target, order, reply, failure), replies);
        } catch (RuntimeException | Error e) {
            handle(target, order, null, e);
        }
    }

    private void handle(ChunkServerInfo target, HeartbeatOrder order, ChunkServerClient.HeartbeatReply reply,
                        Throwable failure) {
        try {
            if (failure == null) {
                membership.heartbeatSucceeded(target, order, reply);
            } else {
                membership.heartbeatFailed(target, order, failure);
            }
        } catch (RuntimeException | Error e) {
            log.warn("{}: handling the heartbeat of {} failed: {}", masterId, target.id(), e.getMessage());
        } finally {
            inFlight.remove(target.id());
        }
    }
}
