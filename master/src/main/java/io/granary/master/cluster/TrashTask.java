package io.granary.master.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically empties the trash of chunks deleted longer than the grace period ago, so their
 * replicas get deleted. Never throws, so the schedule never stops.
 */
public final class TrashTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TrashTask.class);

    private final String masterId;
    private final GarbageCollector gc;

    public TrashTask(String masterId, GarbageCollector gc) {
        this.masterId = masterId;
        this.gc = gc;
    }

    @Override
    public void run() {
        try {
            gc.purgeTrash();
        } catch (RuntimeException | Error e) {
            log.warn("{}: emptying the trash failed, retrying next round: {}", masterId, e.getMessage());
        }
    }
}
