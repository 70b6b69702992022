package io.granary.bench;

import io.granary.common.NamedThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Timing helpers: one operation's throughput, and a fixed number of operations run at a concurrency. */
final class Load {
    private static final double NANOS_PER_SECOND = 1e9;

    /** An operation that may fail; {@code i} numbers it within its batch. */
    @FunctionalInterface
    interface Op {
        void run(int i) throws Exception;
    }

    /** Something timed that moves bytes. */
    @FunctionalInterface
    interface Transfer {
        void run() throws Exception;
    }

    private Load() {
    }

    /** Runs {@code transfer} once and returns {@code bytes} over its duration, in MiB/s. */
    static double mibPerSecond(long bytes, Transfer transfer) throws Exception {
        long start = System.nanoTime();
        transfer.run();
        double seconds = (System.nanoTime() - start) / NANOS_PER_SECOND;
        return bytes / (1024.0 * 1024.0) / seconds;
    }

    /**
     * Runs {@code ops} operations on {@code concurrency} threads, each taking the next number until
     * all are taken, and returns operations per second over the whole batch. The first failure
     * stops the batch and is thrown.
     */
    static double opsPerSecond(int concurrency, int ops, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, new NamedThreadFactory("bench-load"));
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < ops; ) {
                        op.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                await(worker, next, ops);
            }
            return ops / ((System.nanoTime() - start) / NANOS_PER_SECOND);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(Future<?> worker, AtomicInteger next, int ops) throws Exception {
        try {
            worker.get();
        } catch (ExecutionException e) {
            next.set(ops); // the other workers take no new operation
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
