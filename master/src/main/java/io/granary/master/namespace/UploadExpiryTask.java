package io.granary.master.namespace;

import io.granary.common.MonotonicClock;
import io.granary.common.SteadyCutoff;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically abandons uploads idle for longer than the upload timeout (a writer that crashed or
 * went away), and multipart uploads idle for longer than the multipart timeout, so their chunks are
 * collected. The cutoff is a {@link SteadyCutoff}: a wall clock step
 * forward never expires an upload early. Never throws, so the schedule never stops.
 */
public final class UploadExpiryTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(UploadExpiryTask.class);

    private final String masterId;
    private final Namespace namespace;
    private final Duration uploadTimeout;
    private final Duration multipartTimeout;
    private final SteadyCutoff clock;

    public UploadExpiryTask(String masterId, Namespace namespace, Duration uploadTimeout, Duration multipartTimeout,
                            Clock clock) {
        this.masterId = masterId;
        this.namespace = namespace;
        this.uploadTimeout = uploadTimeout;
        this.multipartTimeout = multipartTimeout;
        this.clock = new SteadyCutoff(clock, MonotonicClock.system());
    }

    @Override
    public void run() {
        try {
            namespace.expireUploads(clock.cutoffMs(uploadTimeout), clock.cutoffMs(multipartTimeout));
        } catch (RuntimeException | Error e) {
            log.warn("{}: expiring idle uploads failed, retrying next round: {}", masterId, e.getMessage());
        }
    }
}
