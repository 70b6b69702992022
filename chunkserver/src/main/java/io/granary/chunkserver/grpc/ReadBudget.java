package io.granary.chunkserver.grpc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bytes of ReadChunk messages that all calls of one chunkserver may have handed to gRPC and
 * not yet seen flushed: a call reserves a message's size before reading it from disk, and releases
 * it once its transport is ready again (its queue drained below gRPC's small threshold) or the call
 * ends. A call that finds the budget spent waits, and is woken when bytes come back, so slow
 * readers hold at most this much (plus what one message more each may cost, see
 * {@link #tryReserve}), however many they are. Messages shrink as the budget fills
 * ({@link #messageBytes}), so that a few stalled streams holding large messages cannot keep it
 * from the others. Thread-safe.
 */
public final class ReadBudget {
    /** The smallest message {@link #messageBytes} offers: one checksum block. */
    public static final int MIN_MESSAGE_BYTES = 64 * 1024;
    /** A message may take at most this share (1/8) of the room left. */
    private static final int SHARE_OF_ROOM = 8;

    private final long limitBytes;
    private final Set<Runnable> waiting = new LinkedHashSet<>();
    private long usedBytes;

    public ReadBudget(long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("a read budget needs at least 1 byte, not " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /**
     * Reserves {@code bytes} when they fit, or when nothing at all is reserved (so one message larger
     * than the budget still goes through alone). Otherwise registers {@code wake}, run once (on the
     * releasing thread, so it must only hand work on) after bytes come back, and returns false.
     */
    synchronized boolean tryReserve(long bytes, Runnable wake) {
        if (usedBytes == 0 || usedBytes + bytes <= limitBytes) {
            usedBytes += bytes;
            return true;
        }
        waiting.add(wake);
        return false;
    }

    /**
     * How large the next message of a call may be: {@code wanted}, or an eighth of the room left if
     * that is less, but never under {@link #MIN_MESSAGE_BYTES} (nor over {@code wanted}). An empty
     * budget of 4 MiB gives 512 KiB messages; each stream that stalls holding one leaves the next a
     * smaller one, so some 24 stalled streams fill it instead of 8.
     */
    synchronized int messageBytes(int wanted) {
        long share = Math.max(0, limitBytes - usedBytes) / SHARE_OF_ROOM;
        return (int) Math.min(wanted, Math.max(MIN_MESSAGE_BYTES, share));
    }

    /** Gives {@code bytes} back and wakes every waiting call to try again. */
    void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        List<Runnable> wake;
        synchronized (this) {
            usedBytes -= bytes;
            wake = new ArrayList<>(waiting);
            waiting.clear();
        }
        wake.forEach(Runnable::run);
    }

    /** Forgets a waiting call that ended. */
    synchronized void forget(Runnable wake) {
        waiting.remove(wake);
    }

    /** Bytes reserved now. */
    public synchronized long usedBytes() {
        return usedBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
