package io.granary.gateway.http;

import io.granary.common.OverloadedException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's bound on uploads streamed at once: each holds a piece in gRPC's direct buffers on its
 * way to a chunkserver, so their number bounds that memory. One more is refused at once with an
 * {@link OverloadedException} (503 with {@code Retry-After}) rather than queued. Thread-safe.
 */
public final class UploadSlots {
    /** What a refused uploader is told to wait, besides the Retry-After every 503 carries. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(HttpErrors.RETRY_AFTER_SECONDS);

    private final int max;
    private final Semaphore free;

    public UploadSlots(int max) {
        this.max = max;
        this.free = new Semaphore(max);
    }

    /** The most uploads streamed at once. */
    public int max() {
        return max;
    }

    /**
     * Runs {@code upload} in a slot, which is freed however it ends.
     *
     * @throws OverloadedException when {@code max} uploads are in progress; {@code upload} did not run
     */
    public <T> T run(Supplier<T> upload) {
        if (!free.tryAcquire()) {
            throw busy();
        }
        return runHolding(upload);
    }

    /**
     * Like {@link #run(Supplier)}, waiting up to {@code patience} for a slot: for clients that open many
     * connections at once (an S3 transfer manager sends its parts in parallel). A waiting request holds
     * a request thread and no buffer, so memory stays bounded by the slots.
     *
     * @throws OverloadedException when no slot came free in time, or the wait was interrupted
     */
    public <T> T run(Duration patience, Supplier<T> upload) {
        try {
            if (!free.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        return runHolding(upload);
    }

    private OverloadedException busy() {
        return new OverloadedException("the gateway is busy: " + max + " uploads are in progress, the most it "
                + "streams at once; retry in " + RETRY_AFTER.toSeconds() + " s", RETRY_AFTER);
    }

    private <T> T runHolding(Supplier<T> upload) {
        try {
            return upload.get();
        } finally {
            free.release();
        }
    }
}
