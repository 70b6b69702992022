package io.granary.chunkserver.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection: while holding, ReadChunk calls are accepted and then never answered, as from a
 * chunkserver process that hangs (SIGSTOP, a disk that blocks) while its heartbeats still pass.
 * A held call ends only when its client cancels it or the server stops. Counts every ReadChunk call
 * received, so a test can see how many reads a client sent to a hung replica. Thread-safe; off by
 * default, and nothing in production turns it on.
 */
public final class ReadChunkHold {
    private final AtomicLong calls = new AtomicLong();
    private volatile boolean holding;

    /** Holds every ReadChunk call from now on ({@code true}) or serves them again ({@code false}). */
    public void hold(boolean on) {
        holding = on;
    }

    /** ReadChunk calls received since the server started, held or not. */
    public long calls() {
        return calls.get();
    }

    /** Counts the call; true when it may be served, false when it is held (left unanswered). */
    boolean admit(ServerCallStreamObserver<?> call) {
        calls.incrementAndGet();
        if (!holding) {
            return true;
        }
        call.setOnCancelHandler(() -> { }); // a held call's cancellation is expected, not an error
        return false;
    }
}
