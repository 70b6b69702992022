package io.granary.master.grpc;

import io.granary.common.GranaryException;
import io.granary.master.model.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically pings the metadata store, so that the master reports itself through
 * {@code grpc.health.v1} as NOT_SERVING while the store does not answer, since no namespace rpc can
 * succeed then. Blocks up to the store's timeout per run. Never throws, so the schedule never stops.
 */
public final class StoreHealthTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StoreHealthTask.class);

    private final String masterId;
    private final MetadataStore store;
    private final Runnable onChange;
    private volatile boolean reachable = true; // written by the scheduler's thread only

    /** @param onChange told after every ping, to report the master's health as it now is */
    public StoreHealthTask(String masterId, MetadataStore store, Runnable onChange) {
        this.masterId = masterId;
        this.store = store;
        this.onChange = onChange;
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
        onChange.run();
    }
}
