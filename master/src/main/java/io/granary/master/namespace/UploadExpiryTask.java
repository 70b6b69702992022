package io.granary.master.namespace;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically abandons uploads idle for longer than the upload timeout (a writer that crashed or
 * went away), so their chunks are collected. Never throws, so the schedule never stops.
 */
public final class UploadExpiryTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(UploadExpiryTask.class);

    private final String masterId;
    private final Namespace namespace;
    private final Duration uploadTimeout;
    private final Clock clock;

    public UploadExpiryTask(String masterId, Namespace namespace, Duration uploadTimeout, Clock clock) {
        this.masterId = masterId;
        this.namespace = namespace;
        this.uploadTimeout = uploadTimeout;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            namespace.expireUploads(clock.millis() - uploadTimeout.toMillis());
        } catch (RuntimeException e) {
            log.warn("{}: expiring idle uploads failed, retrying next round: {}", masterId, e.getMessage());
        }
    }
}
