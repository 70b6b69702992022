package io.granary.gateway.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * Caps the downloads that stream at once. A download holds a request thread for as long as its
 * client takes to read it (a slow client: for ever), so without a cap slow readers take every thread
 * and nothing else, health probes included, is answered. Beyond the cap a download is refused at
 * once (503 with {@code Retry-After}); the cap is half the request threads the uploads leave (see
 * {@link UploadSlots}), so uploads and downloads at their caps together still leave threads for
 * everything else. Also says how long every slot has been taken without a break, for
 * readiness. Thread-safe.
 */
public final class DownloadSlots {
    private static final long NOT_FULL = Long.MIN_VALUE;

    private final Semaphore free;
    private final int max;
    private final LongSupplier nanoClock;
    private long fullSinceNanos = NOT_FULL;

    public DownloadSlots(int max, LongSupplier nanoClock) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one download must be allowed, not " + max);
        }
        this.free = new Semaphore(max);
        this.max = max;
        this.nanoClock = nanoClock;
    }

    /**
     * The cap for a server with {@code maxThreads} request threads that streams up to
     * {@code maxUploads} uploads: half the threads the uploads leave, so with both kinds at their
     * caps as many threads again stay free for probes and metadata calls.
     */
    public static DownloadSlots forThreads(int maxThreads, int maxUploads) {
        return new DownloadSlots(Math.max(1, (maxThreads - maxUploads) / 2), System::nanoTime);
    }

    /** Takes a slot without waiting; false when all are taken. A true must be followed by {@link #release()}. */
    public boolean tryAcquire() {
        if (!free.tryAcquire()) {
            return false;
        }
        synchronized (this) {
            if (free.availablePermits() == 0 && fullSinceNanos == NOT_FULL) {
                fullSinceNanos = nanoClock.getAsLong();
            }
        }
        return true;
    }

    public void release() {
        synchronized (this) {
            fullSinceNanos = NOT_FULL;
        }
        free.release();
    }

    public int max() {
        return max;
    }

    /** How long every slot has been taken without a break; zero while one is free. */
    public synchronized Duration fullFor() {
        return fullSinceNanos == NOT_FULL ? Duration.ZERO : Duration.ofNanos(nanoClock.getAsLong() - fullSinceNanos);
    }
}
