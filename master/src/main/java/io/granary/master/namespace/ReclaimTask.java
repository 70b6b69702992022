package io.granary.master.namespace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically finishes reclaiming directories deleted recursively whose reclaiming was cut short (a
 * Redis outage during the delete, or a master that stopped half-way). Usually finds nothing to do: a
 * delete reclaims before it returns. Never throws, so the schedule never stops.
 */
public final class ReclaimTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReclaimTask.class);

    private final String masterId;
    private final Directories directories;

    public ReclaimTask(String masterId, Directories directories) {
        this.masterId = masterId;
        this.directories = directories;
    }

    @Override
    public void run() {
        try {
            directories.reclaim();
        } catch (RuntimeException | Error e) {
            log.warn("{}: reclaiming deleted directories failed, retrying next round: {}", masterId, e.getMessage());
        }
    }
}
