package io.granary.chunkserver.integrity;

import io.granary.chunkserver.store.ChunkStore;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background scrubber (GFS §5.2, HDFS's block scanner): re-reads every chunk that has not been
 * checked for {@code interval}, at most {@code throttle} bytes per second, so that damage on a chunk
 * nobody reads is found before its other replicas are lost too. A chunk first seen (at start, or
 * just written, when its checksums were computed) counts as checked then. Reading goes through the
 * store, whose checksum failures and lost replicas (files gone from disk) are reported to the master
 * by the store's corruption listener.
 * Runs on one thread; never throws, so the schedule never stops.
 */
public final class ScrubTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ScrubTask.class);
    /** Bytes read per step: one throttle booking each. */
    static final int PIECE_BYTES = 1 << 20;

    private final String nodeId;
    private final ChunkStore store;
    private final Duration interval;
    private final BandwidthThrottle throttle;
    private final LongSupplier clockMs;
    private final Map<ChunkHandle, Long> checkedAtMs = new HashMap<>();
    private final Runnable onDamage;
    private volatile boolean stopped;

    /**
     * @param clockMs  a monotonic clock in milliseconds ({@code MonotonicClock}), so that a wall clock
     *                 step neither rescrubs everything at once nor stops scrubbing
     * @param onDamage told of every chunk found damaged (a metrics counter, say)
     */
    public ScrubTask(String nodeId, ChunkStore store, Duration interval, BandwidthThrottle throttle,
                     LongSupplier clockMs, Runnable onDamage) {
        this.onDamage = onDamage;
        this.nodeId = nodeId;
        this.store = store;
        this.interval = interval;
        this.throttle = throttle;
        this.clockMs = clockMs;
    }

    /** Makes a pass in progress end after its current chunk. */
    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            Set<ChunkHandle> handles = store.handles();
            checkedAtMs.keySet().retainAll(handles);
            long now = clockMs.getAsLong();
            int checked = 0;
            for (ChunkHandle handle : handles) {
                if (stopped || Thread.currentThread().isInterrupted()) {
                    return;
                }
                Long last = checkedAtMs.putIfAbsent(handle, now);
                if (last != null && now - last >= interval.toMillis()) {
                    verify(handle);
                    checkedAtMs.put(handle, clockMs.getAsLong());
                    checked++;
                }
            }
            if (checked > 0) {
                log.debug("{}: scrubbed {} chunk(s)", nodeId, checked);
            }
        } catch (RuntimeException | Error e) {
            log.warn("{}: scrub pass failed; next pass as scheduled", nodeId, e);
        }
    }

    private void verify(ChunkHandle handle) {
        try {
            store.read(handle, 0, 0, PIECE_BYTES, piece -> throttle.acquire(piece.remaining()));
        } catch (GranaryException e) {
            if (e.kind() == ErrorKind.DATA_LOSS) {
                onDamage.run();
                log.warn("{}: scrubber found chunk {} damaged: {}", nodeId, handle, e.getMessage());
            } else if (e.kind() == ErrorKind.NOT_FOUND) {
                // deleted since the listing, or its files vanished: the store then reported it lost
                log.debug("{}: scrubber found chunk {} gone: {}", nodeId, handle, e.getMessage());
            } else {
                log.warn("{}: scrubber could not read chunk {}: {}", nodeId, handle, e.getMessage());
            }
        }
    }
}
