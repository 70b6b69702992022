package io.granary.gateway.s3;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the large XML documents the S3 port holds at once: a listing of 1000 keys, a DeleteObjects
 * body of 1000 keys or a completion of 10,000 parts is a few MiB while it is read, built and sent,
 * so at most {@link #MAX} are, and the memory they take stays bounded in total, not just per
 * request. One more waits up to {@link #PATIENCE}, then is told to slow down (503 with Retry-After).
 * Thread-safe.
 */
final class DocumentSlots {
    static final int MAX = 8;
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final int max;
    private final Duration patience;
    private final Semaphore free;

    DocumentSlots() {
        this(MAX, PATIENCE);
    }

    DocumentSlots(int max, Duration patience) {
        this.max = max;
        this.patience = patience;
        this.free = new Semaphore(max, true);
    }

    /** Runs {@code work}, which reads or writes a large document, in a slot freed however it ends. */
    void hold(Work work) throws Exception {
        boolean taken;
        try {
            taken = free.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            throw new S3Exception(S3ErrorCode.SLOW_DOWN, "Please reduce your request rate: " + max
                    + " listings and multi-object requests are in progress on this S3 port, its most at once");
        }
        try {
            work.run();
        } finally {
            free.release();
        }
    }

    /** A request's work. */
    interface Work {
        void run() throws Exception;
    }
}
