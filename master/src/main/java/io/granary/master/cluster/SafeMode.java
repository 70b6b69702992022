package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.MonotonicClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safe mode after a master start (GFS §4.1's recovery, HDFS's safe mode): chunk locations are soft
 * state, so until the chunkservers have reported, a file's layout could lack replicas that exist and
 * a repair or trim could act on a partial picture. While active, the master answers no layout and
 * starts no upload (UNAVAILABLE "master in safe mode: N of M chunkservers reported"), deletes
 * nothing and repairs nothing.
 *
 * <p>It ends when every chunkserver registered before the restart has reported, or when at least
 * {@value #CHUNK_FRACTION} of the committed chunks have a live replica, or once dead-after has
 * passed since the start: a chunkserver silent that long is dead by the master's own rule, and
 * waiting longer would not bring its chunks back. That wait is measured on the monotonic clock, so a
 * wall clock step does not cut it short. Thread-safe.
 */
public final class SafeMode {
    private static final Logger log = LoggerFactory.getLogger(SafeMode.class);
    /** Share of committed chunks that must have a reported live replica, as HDFS's default threshold. */
    public static final double CHUNK_FRACTION = 0.999;

    private final String masterId;
    private final ChunkServerRegistry registry;
    private final ChunkLocations locations;
    private final ReplicationIndex replication;
    private final Duration maxWait;
    private final MonotonicClock clock;
    private final Set<String> expected = new HashSet<>();
    private final Set<String> reported = new HashSet<>();
    private long startedMs;
    private volatile boolean active;

    public SafeMode(String masterId, ChunkServerRegistry registry, ChunkLocations locations,
                    ReplicationIndex replication, Duration maxWait, MonotonicClock clock) {
        this.masterId = masterId;
        this.registry = registry;
        this.locations = locations;
        this.replication = replication;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /** A safe mode that is never active, for parts tested without a restart. */
    public static SafeMode off() {
        return new SafeMode("none", new ChunkServerRegistry(1), new ChunkLocations(), new ReplicationIndex(),
                Duration.ZERO, MonotonicClock.system());
    }

    /** Enters safe mode until the given chunkservers (registered before the restart) have reported. */
    public synchronized void begin(Set<String> registeredBefore) {
        expected.addAll(registeredBefore);
        startedMs = clock.millis();
        active = !expected.isEmpty();
        if (active) {
            log.info("{}: in safe mode until {} chunkserver(s) report", masterId, expected.size());
        }
    }

    /** Notes a full chunk report from a chunkserver, and leaves safe mode if that was enough. */
    public void reported(String serverId) {
        synchronized (this) {
            reported.add(serverId);
        }
        check();
    }

    public boolean active() {
        return active;
    }

    /** Re-evaluates the exit conditions; returns whether safe mode is still active. */
    public synchronized boolean check() {
        if (!active) {
            return false;
        }
        String why = exitReason();
        if (why != null) {
            active = false;
            log.info("{}: leaving safe mode after {} ms: {}", masterId, clock.millis() - startedMs, why);
        }
        return active;
    }

    /**
     * Cheap: reads the flag only. The exit conditions are re-evaluated on every report and every
     * repair round (each heartbeat interval), not per request.
     *
     * @throws GranaryException UNAVAILABLE while in safe mode, saying how far the reports are
     */
    public void requireOut() {
        if (active) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "master in safe mode: " + detail());
        }
    }

    /** "3 of 4 chunkservers reported", or "" when not in safe mode. */
    public synchronized String detail() {
        return active ? reportedCount() + " of " + expected.size() + " chunkservers reported" : "";
    }

    private String exitReason() {
        if (reportedCount() >= expected.size()) {
            return "all " + expected.size() + " chunkserver(s) reported";
        }
        if (clock.millis() - startedMs >= maxWait.toMillis()) {
            return reportedCount() + " of " + expected.size() + " chunkserver(s) reported within " + maxWait
                    + "; the others are dead";
        }
        if (reportedCount() > 0 && reachableFraction() >= CHUNK_FRACTION) {
            return "at least " + CHUNK_FRACTION + " of the committed chunks have a live replica";
        }
        return null;
    }

    private long reportedCount() {
        return expected.stream().filter(reported::contains).count();
    }

    private double reachableFraction() {
        long[] seen = {0, 0};
        replication.forEach((ChunkHandle handle, int wanted) -> {
            seen[0]++;
            if (locations.count(handle, registry::isLive) > 0) {
                seen[1]++;
            }
        });
        return seen[0] == 0 ? 1.0 : (double) seen[1] / seen[0];
    }
}
