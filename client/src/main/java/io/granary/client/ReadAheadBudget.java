package io.granary.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The bytes that every chunk read of one {@link GranaryClient} together holds ahead of its readers.
 * Reads add what arrives and release what their readers take (or drop, on cancel); while the total
 * is at the limit, a read asks for another message only once its own buffer is empty, so memory
 * stays near the limit however many downloads run, and every download still moves. It also says how
 * long it has been full without a break, so a server can report that it cannot serve well.
 * Thread-safe.
 */
public final class ReadAheadBudget {
    private static final long NOT_FULL = Long.MIN_VALUE;

    private final long limitBytes;
    private final LongSupplier nanoClock;
    private long usedBytes;
    private long fullSinceNanos = NOT_FULL;

    ReadAheadBudget(long limitBytes, LongSupplier nanoClock) {
        this.limitBytes = limitBytes;
        this.nanoClock = nanoClock;
    }

    /** Whether reads may ask for more than the one message that keeps each of them moving. */
    synchronized boolean hasRoom() {
        return usedBytes < limitBytes;
    }

    synchronized void add(long bytes) {
        usedBytes += bytes;
        if (usedBytes >= limitBytes && fullSinceNanos == NOT_FULL) {
            fullSinceNanos = nanoClock.getAsLong();
        }
    }

    synchronized void release(long bytes) {
        usedBytes -= bytes;
        if (usedBytes < limitBytes) {
            fullSinceNanos = NOT_FULL;
        }
    }

    /** Bytes held ahead of readers now. */
    public synchronized long usedBytes() {
        return usedBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** How long the budget has been spent without a break; zero while it has room. */
    public synchronized Duration fullFor() {
        return fullSinceNanos == NOT_FULL ? Duration.ZERO : Duration.ofNanos(nanoClock.getAsLong() - fullSinceNanos);
    }
}
