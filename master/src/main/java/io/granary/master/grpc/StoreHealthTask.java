package io.granary.master.grpc;

import io.granary.common.GranaryException;
import io.granary.master.model.MetadataStore;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically pings the metadata store and reports the master through {@code grpc.health.v1}:
 * SERVING while the store answers, NOT_SERVING while it does not, since no namespace rpc can
 * succeed then. Blocks up to the store's timeout per run. Never throws, so the schedule never stops.
 */
public final class StoreHealthTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StoreHealthTask.class);

    private final String masterId;
    private final MetadataStore store;
    private final HealthStatusManager health;
    private volatile boolean reachable = true; // written by the scheduler's thread only

    public StoreHealthTask(String masterId, MetadataStore store, HealthStatusManager health) {
        this.masterId = masterId;
        this.store = store;
        this.health = health;
    }

    /** Whether the store answered the last ping (true before the first). Non-blocking. */
    public boolean storeReachable() {
        return reachable;
    }

    @Override
    public void run() {
        boolean now;
        try {
            store.ping();
            now = true;
        } catch (GranaryException e) {
            now = false;
            if (reachable) {
                log.warn("{}: the metadata store does not answer, reporting NOT_SERVING: {}", masterId, e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            log.warn("{}: checking the metadata store failed, retrying next round: {}", masterId, e.toString());
            return;
        }
        if (now && !reachable) {
            log.info("{}: the metadata store answers again, reporting SERVING", masterId);
        }
        reachable = now;
        // after close() the manager is in its terminal state and ignores this
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                now ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }
}
