package io.granary.chunkserver.integrity;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a stream of bytes to a rate: each {@link #acquire} books its bytes after those booked before
 * and waits until their turn. Shared by all the threads of one activity (scrubbing, repair copies) so
 * that together they stay under the cap. Thread-safe; blocks the caller.
 */
public final class BandwidthThrottle {
    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    /** @param bytesPerSecond the cap; 0 means no cap */
    public BandwidthThrottle(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a bandwidth cap cannot be negative: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Waits until {@code bytes} more fit under the cap. Returns early, interrupt flag set, if interrupted. */
    public void acquire(long bytes) {
        if (bytesPerSecond == 0 || bytes <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + TimeUnit.SECONDS.toNanos(1) * bytes / bytesPerSecond;
            waitNanos = start - now;
        }
        long deadline = System.nanoTime() + waitNanos;
        while (waitNanos > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(waitNanos);
            waitNanos = deadline - System.nanoTime();
        }
    }
}
