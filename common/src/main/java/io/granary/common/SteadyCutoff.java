package io.granary.common;

import java.time.Clock;
import java.time.Duration;

/**
 * Wall-clock time for deciding that something stamped in shared storage (Redis) is old enough to go
 * (the GC grace period, upload expiry), safe against clock steps: it follows the wall clock, except
 * that it never moves forward by more than the monotonic time elapsed since it was last read. A step
 * back is followed at once, which only makes stored times look younger (their end comes later); a
 * step forward is not, so nothing is ever purged or expired early. After a forward step it stays
 * behind the wall clock by the step for the rest of the process, so ends come that much late.
 * Thread-safe.
 */
public final class SteadyCutoff {
    private final Clock wall;
    private final MonotonicClock monotonic;
    private boolean started;
    private long lastMs;
    private long lastTickMs;

    public SteadyCutoff(Clock wall, MonotonicClock monotonic) {
        this.wall = wall;
        this.monotonic = monotonic;
    }

    /** Epoch milliseconds now, as the wall clock says but never ahead of the time elapsed. */
    public synchronized long nowMs() {
        long wallMs = wall.millis();
        long tickMs = monotonic.millis();
        long now = started ? Math.min(wallMs, lastMs + Math.max(0, tickMs - lastTickMs)) : wallMs;
        started = true;
        lastMs = now;
        lastTickMs = tickMs;
        return now;
    }

    /** Epoch milliseconds before which a stored time is at least {@code age} old. */
    public long cutoffMs(Duration age) {
        return nowMs() - age.toMillis();
    }
}
