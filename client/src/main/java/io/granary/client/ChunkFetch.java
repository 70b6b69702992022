package io.granary.client;

import com.google.protobuf.ByteString;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.GrpcErrors;
import io.granary.common.meta.Replica;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one byte range of one chunk into a bounded buffer that a reader drains. Replicas are tried
 * best first as the transfer's {@link ReadSession} ranks them; when one fails (an error status, a
 * stream that ends short, no data for the idle timeout) the next one resumes at the first byte not
 * yet received, so the reader never sees a byte twice or misses one. A replica that leaves a waiting
 * reader without data for {@link ClientOptions#hedgeAfter()} is hedged: the same remaining range is
 * asked of the next replica, the first of the two to send data is kept and the other cancelled, and
 * the session remembers the slow one. The streams use manual flow control: up to
 * {@link ReplicaRead#MESSAGES_IN_FLIGHT} messages are asked for at a time while fewer than
 * {@code readAheadBytes} wait in the buffer and the client's {@link ReadAheadBudget} has room, and
 * one at a time when the buffer is empty and the budget spent, so every read moves.
 *
 * <p>A read of a whole chunk that the {@link ChunkCache} keeps also collects what it passes on, and
 * puts the chunk in the cache once exactly its size arrived (each piece verified by the chunkserver
 * before it was sent); a read that fails, is cancelled first, or gets more bytes than it asked for
 * puts nothing.
 *
 * <p>Thread-safe: gRPC callbacks fill the buffer, one reader drains it. gRPC calls (start, request,
 * cancel) are made outside the lock, because they may run callbacks that take it.
 */
final class ChunkFetch implements ChunkSource, ReplicaRead.Listener {
    private static final Logger log = LoggerFactory.getLogger(ChunkFetch.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ChannelPool channels;
    private final ClientOptions options;
    private final ChunkRange range;
    private final ReadSession session;
    private final ReadAheadBudget budget;
    private final ChunkReadHealth health;
    private final BadReplicaReporter badReplicas;
    private final ChunkCache cache;

    private final ReadBuffer buffer;
    private final ReplicaFailures failures = new ReplicaFailures();
    private final Set<Replica> tried = new HashSet<>();
    private long received;
    private long delivered;
    /** The read whose data is taken. */
    private ReplicaRead current;
    /** A read of the same remaining range racing a silent {@link #current}; null when none. */
    private ReplicaRead hedge;
    private GranaryException failure;
    private boolean cancelled;
    /** The bytes received so far of a whole chunk the cache keeps; null when this read fills nothing. */
    private ByteString collected;

    /** What a reader found after waiting. */
    private enum Wait { DATA, HEDGE, IDLE }

    ChunkFetch(ChannelPool channels, ClientOptions options, ChunkRange range, ReadSession session,
               ReadAheadBudget budget, ChunkReadHealth health, BadReplicaReporter badReplicas, ChunkCache cache) {
        this.budget = budget;
        this.health = health;
        this.buffer = new ReadBuffer(budget);
        this.channels = channels;
        this.options = options;
        this.range = range;
        this.session = session;
        this.badReplicas = badReplicas;
        this.cache = cache;
        boolean wholeChunk = range.offsetInChunk() == 0 && range.length() == range.chunk().size();
        this.collected = wholeChunk && cache.admits(range.length()) ? ByteString.EMPTY : null;
    }

    /** Starts reading from the best replica. Does not block. */
    @Override
    public void start() {
        ReplicaRead first;
        lock.lock();
        try {
            first = nextReadLocked();
        } finally {
            lock.unlock();
        }
        launch(first);
    }

    /**
     * Copies the next bytes of the range into {@code b}, blocking until some arrive.
     *
     * @return bytes copied (at least 1 when {@code len > 0}), or -1 once the whole range was read
     * @throws GranaryException when no replica could serve the rest of the range, or after {@link #cancel()}
     */
    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (true) {
            ReplicaRead toStart = null;
            ReplicaRead toCancel = null;
            ReplicaRead toAsk = null;
            int asking = 0;
            Integer copied = null;
            lock.lock();
            try {
                Wait wait = awaitLocked();
                if (wait == Wait.HEDGE) {
                    toStart = hedgeLocked();
                } else if (wait == Wait.IDLE) {
                    toCancel = current; // its onError moves the fetch on
                } else {
                    copied = buffer.size() > 0 ? copyLocked(b, off, len) : -1;
                    toAsk = current;
                    asking = askLocked();
                }
            } finally {
                lock.unlock();
            }
            if (toStart != null) {
                launch(toStart);
            } else if (toCancel != null) {
                toCancel.cancel("no data for " + options.chunkIdleTimeout().toMillis() + " ms");
            } else {
                if (asking > 0) {
                    toAsk.request(asking);
                }
                return copied;
            }
        }
    }

    /** Stops the fetch and cancels the streams in flight. Idempotent; safe from any thread. */
    @Override
    public void cancel() {
        ReplicaRead running;
        ReplicaRead racing;
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            cancelled = true;
            collected = null;
            running = current;
            racing = hedge;
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (ReplicaRead read : new ReplicaRead[] {running, racing}) {
            if (read != null) {
                read.cancel("the reader closed the stream");
            }
        }
    }

    /** Waits for data or the end (DATA), for the time to hedge, or for the idle timeout. */
    private Wait awaitLocked() {
        while (buffer.size() == 0 && delivered < range.length()) {
            if (cancelled) {
                throw new GranaryException(ErrorKind.CANCELLED, "the stream was closed");
            }
            if (failure != null) {
                throw failure;
            }
            long now = System.nanoTime();
            long idleAt = current != null && current.asked > 0
                    ? current.askedAtNanos + options.chunkIdleTimeout().toNanos() : Long.MAX_VALUE;
            long hedgeAt = canHedgeLocked() ? current.askedAtNanos + options.hedgeAfter().toNanos() : Long.MAX_VALUE;
            if (now - idleAt >= 0) {
                return Wait.IDLE;
            }
            if (now - hedgeAt >= 0) {
                return Wait.HEDGE;
            }
            try {
                changed.awaitNanos(Math.min(idleAt - now, hedgeAt - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GranaryException(ErrorKind.CANCELLED, "interrupted while reading chunk "
                        + range.chunk().handle().hex(), e);
            }
        }
        return Wait.DATA;
    }

    private boolean canHedgeLocked() {
        return hedge == null && current != null && current.asked > 0 && tried.size() < range.chunk().replicas().size();
    }

    /** Marks the silent replica slow and makes the read of the next one that races it. */
    private ReplicaRead hedgeLocked() {
        session.slow(current.replica.chunkserverId());
        hedge = new ReplicaRead(bestUntriedLocked(), range, received, firstAskLocked(), System.nanoTime(), this);
        log.info("{}: chunk {}: {} sent nothing for {} ms, asking {} too", options.name(), range.chunk().handle().hex(),
                current, options.hedgeAfter().toMillis(), hedge);
        return hedge;
    }

    private int copyLocked(byte[] b, int off, int len) {
        int copied = buffer.take(b, off, len);
        delivered += copied;
        return copied;
    }

    /** How many messages a read may have asked for now: see the class comment. */
    private int messagesWantedLocked() {
        if (buffer.size() == 0) {
            return budget.hasRoom() ? ReplicaRead.MESSAGES_IN_FLIGHT : 1;
        }
        return buffer.size() >= options.readAheadBytes() || !budget.hasRoom() ? 0 : ReplicaRead.MESSAGES_IN_FLIGHT;
    }

    private int firstAskLocked() {
        return Math.max(1, messagesWantedLocked());
    }

    /**
     * How many more messages to ask the current stream for, marked asked; 0 before its first message
     * arrived (until then it waits on what its call asked for when it started).
     */
    private int askLocked() {
        if (cancelled || current == null || !current.answered || received == range.length()) {
            return 0;
        }
        int more = messagesWantedLocked() - current.asked;
        if (more <= 0) {
            return 0;
        }
        if (current.asked == 0) {
            current.askedAtNanos = System.nanoTime();
        }
        current.asked += more;
        return more;
    }

    @Override
    public void onData(ReplicaRead read, ByteString data) {
        int more;
        ReplicaRead loser;
        ByteString whole = null;
        lock.lock();
        try {
            if (cancelled || received == range.length() || (read != current && read != hedge)) {
                return; // a loser's message in flight: dropped with it
            }
            // The first of two racing reads to send data wins; both resumed at the same byte.
            loser = read == current ? hedge : current;
            current = read;
            hedge = null;
            long room = range.length() - received;
            ByteString piece = data.size() > room ? data.substring(0, (int) room) : data;
            buffer.add(piece);
            received += piece.size();
            // a replica that sends more than was asked is not trusted with what stays in memory
            collected = collected == null || data.size() > room ? null : collected.concat(piece);
            if (received == range.length()) {
                health.succeeded();
                whole = collected;
                collected = null;
            }
            read.answered = true;
            read.asked = Math.max(0, read.asked - 1);
            read.askedAtNanos = System.nanoTime(); // progress: a wait for what is still asked starts now
            more = askLocked();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (loser != null) {
            loser.cancel("another replica answered first");
        }
        if (whole != null) {
            cache.put(range.chunk().handle(), whole.toByteArray());
        }
        if (more > 0) {
            read.request(more);
        }
    }

    @Override
    public void onCompleted(ReplicaRead read) {
        lock.lock();
        try {
            if (read == current && received == range.length()) {
                current = null;
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        failed(read, ErrorKind.UNAVAILABLE, "the stream ended after " + (received - read.resumedAt) + " of "
                + read.request.getLength() + " bytes");
    }

    @Override
    public void onFailed(ReplicaRead read, Throwable t) {
        GranaryException e = GrpcErrors.fromStatus(t);
        failed(read, e.kind(), e.kind() + ": " + e.getMessage());
    }

    /** A read failed: its race partner (if any) carries on, else the next replica resumes. */
    private void failed(ReplicaRead read, ErrorKind kind, String why) {
        ReplicaRead next = null;
        lock.lock();
        try {
            if (cancelled || received == range.length() || (read != current && read != hedge)) {
                return;
            }
            if (kind == ErrorKind.DATA_LOSS) {
                badReplicas.report(range.chunk().handle(), read.replica.chunkserverId());
            }
            session.failed(read.replica.chunkserverId());
            String reason = failures.add(read.replica, kind, why);
            log.info("{}: reading chunk {} failed at byte {} of the range ({} replica(s) left to try): {}",
                    options.name(), range.chunk().handle().hex(), received,
                    range.chunk().replicas().size() - tried.size(), reason);
            if (read == hedge) {
                hedge = null;
            } else if (hedge != null) {
                current = hedge;
                hedge = null;
            } else {
                next = nextReadLocked();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        launch(next);
    }

    /** The read of the best untried replica, made current; null (and the fetch failed) when none is left. */
    private ReplicaRead nextReadLocked() {
        if (tried.size() >= range.chunk().replicas().size()) {
            current = null;
            failure = failures.giveUp(range.chunk());
            if (failure.kind() == ErrorKind.UNAVAILABLE) {
                health.unavailable();
            }
            changed.signalAll();
            return null;
        }
        current = new ReplicaRead(bestUntriedLocked(), range, received, firstAskLocked(), System.nanoTime(), this);
        return current;
    }

    private Replica bestUntriedLocked() {
        List<Replica> untried = range.chunk().replicas().stream().filter(r -> !tried.contains(r)).toList();
        Replica best = session.order(untried).get(0);
        tried.add(best);
        return best;
    }

    private void launch(ReplicaRead read) {
        if (read == null) {
            return;
        }
        try {
            read.start(channels.channel(read.replica.address()));
        } catch (RuntimeException e) {
            onFailed(read, e);
            return;
        }
        boolean stale;
        lock.lock();
        try {
            stale = cancelled || (current != read && hedge != read);
        } finally {
            lock.unlock();
        }
        if (stale) {
            // cancel() ran while the call was being started and could not reach it yet.
            read.cancel("the reader closed the stream");
        }
    }
}
