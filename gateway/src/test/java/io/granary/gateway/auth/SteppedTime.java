package io.granary.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock and a monotonic clock that move together, only when a test says so. */
final class SteppedTime extends Clock {
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong(1_000);

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    /** The monotonic clock, as {@link System#nanoTime()}. */
    long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant instant() {
        return START.plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock has one zone");
    }
}
