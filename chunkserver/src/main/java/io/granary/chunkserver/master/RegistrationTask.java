package io.granary.chunkserver.master;

import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.RegisterChunkServerResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this chunkserver registered with the master. Until a registration succeeds it retries with
 * capped exponential backoff (the master may start after us). Once registered it watches the
 * master's heartbeats: when none came for {@value #MISSED_HEARTBEATS} of the announced intervals,
 * the master has forgotten us (it restarted, or lost its state), so it registers again. Runs on one
 * scheduler thread and reschedules itself; it catches everything so the loop never stops.
 */
final class RegistrationTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RegistrationTask.class);

    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(5);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Used when the master announces no interval. */
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    static final int MISSED_HEARTBEATS = 3;

    private final String nodeId;
    private final String masterAddress;
    private final MasterServiceBlockingStub master;
    private final Supplier<RegisterChunkServerRequest> registration;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private volatile long lastHeartbeatNanos;
    private volatile boolean registered;
    private long heartbeatIntervalNanos = DEFAULT_HEARTBEAT_INTERVAL.toNanos();
    private long retryNanos = FIRST_RETRY.toNanos();

    RegistrationTask(String nodeId, String masterAddress, MasterServiceBlockingStub master,
                     Supplier<RegisterChunkServerRequest> registration, ScheduledExecutorService scheduler,
                     LongSupplier nanoClock) {
        this.nodeId = nodeId;
        this.masterAddress = masterAddress;
        this.master = master;
        this.registration = registration;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
    }

    /** Notes that the master heartbeated us just now. Thread-safe. */
    void heartbeatReceived() {
        lastHeartbeatNanos = nanoClock.getAsLong();
    }

    boolean registered() {
        return registered;
    }

    @Override
    public void run() {
        long delayNanos;
        try {
            delayNanos = registered ? watchHeartbeats() : register();
        } catch (RuntimeException | Error e) {
            log.warn("{}: registration check failed: {}", nodeId, e.toString());
            delayNanos = MAX_RETRY.toNanos();
        }
        try {
            scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: registration stopped", nodeId);
        }
    }

    /** Registers once; returns when to run next. */
    private long register() {
        try {
            RegisterChunkServerResponse response = master
                    .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .registerChunkServer(registration.get());
            long intervalMs = response.getHeartbeatIntervalMs();
            heartbeatIntervalNanos = intervalMs > 0 ? TimeUnit.MILLISECONDS.toNanos(intervalMs)
                    : DEFAULT_HEARTBEAT_INTERVAL.toNanos();
            lastHeartbeatNanos = nanoClock.getAsLong(); // the master's first heartbeat is due one interval from now
            registered = true;
            retryNanos = FIRST_RETRY.toNanos();
            log.info("{}: registered with master {} at {}; it heartbeats every {} ms", nodeId,
                    response.getMasterId(), masterAddress, TimeUnit.NANOSECONDS.toMillis(heartbeatIntervalNanos));
            return heartbeatIntervalNanos;
        } catch (StatusRuntimeException e) {
            long delay = retryNanos;
            retryNanos = Math.min(retryNanos * 2, MAX_RETRY.toNanos());
            if (!scheduler.isShutdown()) {
                Status status = e.getStatus();
                log.info("{}: cannot register with master at {} ({}: {}); retrying in {} ms", nodeId, masterAddress,
                        status.getCode(), status.getDescription(), TimeUnit.NANOSECONDS.toMillis(delay));
            }
            return delay;
        }
    }

    private long watchHeartbeats() {
        long silentNanos = nanoClock.getAsLong() - lastHeartbeatNanos;
        long limitNanos = MISSED_HEARTBEATS * heartbeatIntervalNanos;
        if (silentNanos <= limitNanos) {
            return limitNanos - silentNanos + 1; // wake exactly when the silence would become too long
        }
        log.info("{}: no heartbeat from the master for {} ms; registering again", nodeId,
                TimeUnit.NANOSECONDS.toMillis(silentNanos));
        registered = false;
        return register();
    }
}
