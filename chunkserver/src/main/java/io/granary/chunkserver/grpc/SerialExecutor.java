package io.granary.chunkserver.grpc;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. One per call: the events of a
 * stream (messages from upstream, readiness and answers from downstream, cancellation) then never
 * race, so per-call state needs no locks, and blocking disk work stays off the gRPC threads.
 * Thread-safe. Tasks submitted after the pool shut down are dropped.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            log.debug("dropping {} tasks: the pool is shut down", tasks.size());
            tasks.clear();
            scheduled.set(false);
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable e) { // an Error too: the lane must go on with the call's next events
                    log.error("task failed", e);
                }
            }
        } finally {
            scheduled.set(false);
        }
        // A task added after the last poll but before the flag was cleared would otherwise wait.
        if (!tasks.isEmpty()) {
            schedule();
        }
    }
}
