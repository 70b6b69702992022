package io.granary.chunkserver.replication;

import io.granary.common.ByteSize;
import io.granary.common.OverloadedException;
import java.time.Duration;

/**
 * The chunkserver's budget for chunk writes in progress: at most {@code maxWrites} at once, holding
 * at most {@code maxBufferedBytes} of data pieces between them. A write is admitted with a
 * {@link Ticket} and reserves room for the largest piece it has carried ({@link #firstPieceBytes}
 * before the first), once for the copy being received and written (gRPC gathers a message it was
 * asked for in direct memory before handing it over) and once more for the copy queued to the next
 * replica. A write reserves before it asks its sender for a piece, and asks for the next one only once
 * the last is on disk and drained downstream, so its reservation covers every piece byte it holds;
 * only a piece larger than all before it and than what was reserved for the first arrives before its
 * room is reserved (one message, at most the server's inbound message limit). Reservations only grow,
 * until the ticket is closed.
 *
 * <p>Nothing waits here: a write or a piece that does not fit is refused at once with an
 * {@link OverloadedException}, so that a full node sheds load instead of queueing it (and no two
 * chunkservers forwarding to each other can wait on each other's budget). Thread-safe.
 */
public final class WriteAdmission {
    /** What a refused writer is told to wait before trying again. */
    public static final Duration RETRY_AFTER = OverloadedException.DEFAULT_RETRY_AFTER;
    /**
     * What a write reserves for a piece before it has seen one: the 1 MiB the .proto advises writers
     * to send and the client library sends.
     */
    public static final long EXPECTED_PIECE_BYTES = ByteSize.MIB;

    /**
     * What a write reserves for its first piece: the size its writer announced ({@code hintBytes},
     * more than 0) when under {@link #EXPECTED_PIECE_BYTES}, that otherwise.
     */
    public static long firstPieceBytes(long hintBytes) {
        return hintBytes > 0 ? Math.min(hintBytes, EXPECTED_PIECE_BYTES) : EXPECTED_PIECE_BYTES;
    }

    private final String nodeId;
    private final int maxWrites;
    private final long maxBufferedBytes;
    private int writes;
    private long bufferedBytes;
    private long peakBufferedBytes;
    private int peakWrites;
    private long refused;

    /**
     * @param maxWrites        chunk writes in progress at once, at least 1
     * @param maxBufferedBytes bytes of pieces all writes together may hold, at least 1
     */
    public WriteAdmission(String nodeId, int maxWrites, long maxBufferedBytes) {
        if (maxWrites < 1 || maxBufferedBytes < 1) {
            throw new IllegalArgumentException("write limits must be positive, not " + maxWrites + " writes and "
                    + maxBufferedBytes + " bytes");
        }
        this.nodeId = nodeId;
        this.maxWrites = maxWrites;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    /**
     * Admits one more write, holding no bytes yet.
     *
     * @throws OverloadedException when {@code maxWrites} writes are in progress
     */
    public synchronized Ticket admit() {
        if (writes >= maxWrites) {
            refused++;
            throw new OverloadedException(nodeId + " is busy: " + writes + " chunk writes in progress, the most it "
                    + "takes at once; retry in " + RETRY_AFTER.toMillis() + " ms", RETRY_AFTER);
        }
        writes++;
        peakWrites = Math.max(peakWrites, writes);
        return new Ticket();
    }

    private synchronized void reserve(Ticket ticket, long bytes) {
        long more = bytes - ticket.reserved;
        if (more <= 0) {
            return;
        }
        if (bufferedBytes + more > maxBufferedBytes) {
            refused++;
            throw new OverloadedException(nodeId + " is busy: its writes hold " + ByteSize.format(bufferedBytes)
                    + " of their " + ByteSize.format(maxBufferedBytes) + " buffer, and a piece needs "
                    + ByteSize.format(more) + " more; retry in " + RETRY_AFTER.toMillis() + " ms", RETRY_AFTER);
        }
        bufferedBytes += more;
        ticket.reserved = bytes;
        peakBufferedBytes = Math.max(peakBufferedBytes, bufferedBytes);
    }

    private synchronized void release(Ticket ticket) {
        writes--;
        bufferedBytes -= ticket.reserved;
        ticket.reserved = 0;
    }

    /** Writes in progress. */
    public synchronized int activeWrites() {
        return writes;
    }

    /** Bytes reserved by the writes in progress. */
    public synchronized long bufferedBytes() {
        return bufferedBytes;
    }

    /** The most bytes ever reserved at once: never above {@link #maxBufferedBytes()}. */
    public synchronized long peakBufferedBytes() {
        return peakBufferedBytes;
    }

    /** The most writes ever in progress at once: never above {@link #maxWrites()}. */
    public synchronized int peakWrites() {
        return peakWrites;
    }

    /** Writes and pieces refused since start. */
    public synchronized long refused() {
        return refused;
    }

    public int maxWrites() {
        return maxWrites;
    }

    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** One admitted write's share. Used by one write at a time (its serial lane); closing is idempotent. */
    public final class Ticket implements AutoCloseable {
        private long reserved;
        private boolean closed;

        private Ticket() {
        }

        /**
         * Makes room for a piece of {@code pieceBytes} held in {@code copies} places (1, or 2 with a
         * downstream replica), before the piece is asked for or as it arrives. A no-op when the
         * reservation covers it already.
         *
         * @throws OverloadedException when the budget has no room left for it; the ticket stays open
         */
        public void hold(long pieceBytes, int copies) {
            if (closed) {
                throw new IllegalStateException("the write ended already");
            }
            reserve(this, pieceBytes * copies);
        }

        /** Bytes this write has reserved. */
        public long reservedBytes() {
            synchronized (WriteAdmission.this) {
                return reserved;
            }
        }

        /** Ends the write: its slot and its bytes go back to the budget. Idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(this);
            }
        }
    }
}
