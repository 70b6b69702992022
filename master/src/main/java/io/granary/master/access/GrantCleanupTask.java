package io.granary.master.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically drops grants past their expiry from Redis. Grants already stop working at their
 * deadline without it (every match checks the expiry); this only reclaims the keys. Never throws,
 * so the schedule never stops.
 */
public final class GrantCleanupTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(GrantCleanupTask.class);

    private final String masterId;
    private final Grants grants;

    public GrantCleanupTask(String masterId, Grants grants) {
        this.masterId = masterId;
        this.grants = grants;
    }

    @Override
    public void run() {
        try {
            grants.purgeExpired();
        } catch (RuntimeException | Error e) {
            log.warn("{}: dropping expired grants failed, retrying next round: {}", masterId, e.getMessage());
        }
    }
}
