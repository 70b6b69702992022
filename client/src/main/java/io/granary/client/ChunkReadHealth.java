package io.granary.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether this client's chunk reads are being served: it remembers the chunk reads that found no
 * replica able to serve them (UNAVAILABLE: every replica down, hung or refusing) since the last one
 * that succeeded. A run of such failures inside {@link #WINDOW} means this client cannot serve
 * downloads now, which a server reports as not ready. Failures older than the window are forgotten,
 * so a node that gets no traffic while not ready becomes ready again and is tried again. A chunk
 * whose every replica is corrupt (DATA_LOSS) says nothing about this client and is not counted.
 * Thread-safe.
 */
public final class ChunkReadHealth {
    /** How long a run of failures counts. */
    public static final Duration WINDOW = Duration.ofSeconds(30);
    /** Failures in a row, with no success between, that make reads "failing". */
    public static final int FAILURES_IN_A_ROW = 3;

    private final LongSupplier nanoClock;
    private int failuresInARow;
    private long lastFailureNanos;

    ChunkReadHealth(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    synchronized void succeeded() {
        failuresInARow = 0;
    }

    synchronized void unavailable() {
        long now = nanoClock.getAsLong();
        if (failuresInARow > 0 && now - lastFailureNanos > WINDOW.toNanos()) {
            failuresInARow = 0; // an old run: start over
        }
        failuresInARow++;
        lastFailureNanos = now;
    }

    /** True when the last {@link #FAILURES_IN_A_ROW} chunk reads or more all failed, the latest within {@link #WINDOW}. */
    public synchronized boolean failing() {
        return failuresInARow >= FAILURES_IN_A_ROW && nanoClock.getAsLong() - lastFailureNanos <= WINDOW.toNanos();
    }

    /** Chunk reads that failed in a row so far. */
    public synchronized int failuresInARow() {
        return failuresInARow;
    }
}
