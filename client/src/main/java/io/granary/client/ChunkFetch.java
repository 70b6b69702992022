package io.granary.client;

import com.google.protobuf.ByteString;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one byte range of one chunk into a bounded buffer that a reader drains. Replicas are tried in
 * order; when one fails (an error status, a stream that ends short, no data for the idle timeout)
 * the next one resumes at the first byte not yet received, so the reader never sees a byte twice or
 * misses one. The stream uses manual flow control: one message is requested at a time, and only
 * while fewer than {@code readAheadBytes} wait in the buffer.
 *
 * <p>Thread-safe: gRPC callbacks fill the buffer, one reader drains it. gRPC calls (start, request,
 * cancel) are made outside the lock, because they may run callbacks that take it.
 */
final class ChunkFetch {
    private static final Logger log = LoggerFactory.getLogger(ChunkFetch.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ChannelCache channels;
    private final ClientOptions options;
    private final ChunkRange range;
    private final BadReplicaReporter badReplicas;

    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private final ReplicaFailures failures = new ReplicaFailures();
    private long buffered;
    private long received;
    private long delivered;
    private int nextReplica;
    private Attempt current;
    private boolean requested;
    private GranaryException failure;
    private boolean cancelled;

    /** Where a replica that answers DATA_LOSS is reported, so the master replaces it. */
    interface BadReplicaReporter {
        /** Must not block: called from a gRPC callback. */
        void report(ChunkHandle handle, String chunkserverId);
    }

    ChunkFetch(ChannelCache channels, ClientOptions options, ChunkRange range) {
        this(channels, options, range, (handle, id) -> { });
    }

    ChunkFetch(ChannelCache channels, ClientOptions options, ChunkRange range, BadReplicaReporter badReplicas) {
        this.channels = channels;
        this.options = options;
        this.range = range;
        this.badReplicas = badReplicas;
    }

    /** Starts reading from the first replica. Does not block. */
    void start() {
        Attempt first;
        lock.lock();
        try {
            first = nextAttemptLocked();
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
    int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (true) {
            boolean idle;
            Attempt attempt;
            int copied = -1;
            boolean askMore = false;
            lock.lock();
            try {
                idle = !awaitDataLocked();
                attempt = current;
                if (!idle && buffered > 0) {
                    copied = copyLocked(b, off, len);
                    askMore = wantMoreLocked();
                }
            } finally {
                lock.unlock();
            }
            if (idle) {
                if (attempt != null) {
                    // Its onError moves the fetch on to the next replica.
                    attempt.cancel("no data for " + options.chunkIdleTimeout().toMillis() + " ms");
                }
                continue;
            }
            if (askMore) {
                attempt.request();
            }
            return copied;
        }
    }

    /** Stops the fetch and cancels the stream in flight. Idempotent; safe from any thread. */
    void cancel() {
        Attempt running;
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            cancelled = true;
            running = current;
            buffer.clear();
            buffered = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.cancel("the reader closed the stream");
        }
    }

    /** True when data (or the end) is there; false when the idle timeout passed without any. */
    private boolean awaitDataLocked() {
        long left = options.chunkIdleTimeout().toNanos();
        while (buffered == 0 && delivered < range.length()) {
            if (cancelled) {
                throw new GranaryException(ErrorKind.CANCELLED, "the stream was closed");
            }
            if (failure != null) {
                throw failure;
            }
            if (left <= 0) {
                return false;
            }
            try {
                left = changed.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GranaryException(ErrorKind.CANCELLED, "interrupted while reading chunk "
                        + range.chunk().handle().hex(), e);
            }
        }
        return true;
    }

    private int copyLocked(byte[] b, int off, int len) {
        int copied = 0;
        while (copied < len && !buffer.isEmpty()) {
            ByteBuffer head = buffer.peek();
            int take = Math.min(len - copied, head.remaining());
            head.get(b, off + copied, take);
            copied += take;
            if (!head.hasRemaining()) {
                buffer.poll();
            }
        }
        buffered -= copied;
        delivered += copied;
        return copied;
    }

    /** Whether to ask the current stream for one more message; marks it asked if so. */
    private boolean wantMoreLocked() {
        if (requested || cancelled || current == null || received == range.length()
                || buffered >= options.readAheadBytes()) {
            return false;
        }
        requested = true;
        return true;
    }

    private void onData(Attempt attempt, ByteString data) {
        boolean more;
        lock.lock();
        try {
            if (attempt != current || cancelled || received == range.length()) {
                return;
            }
            long room = range.length() - received;
            ByteString piece = data.size() > room ? data.substring(0, (int) room) : data;
            if (!piece.isEmpty()) {
                buffer.add(piece.asReadOnlyByteBuffer());
                buffered += piece.size();
                received += piece.size();
            }
            requested = false;
            more = wantMoreLocked();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (more) {
            attempt.request();
        }
    }

    private void onCompleted(Attempt attempt) {
        Attempt next;
        lock.lock();
        try {
            if (attempt != current || cancelled) {
                return;
            }
            if (received == range.length()) {
                current = null;
                changed.signalAll();
                return;
            }
            next = failedLocked(attempt, ErrorKind.UNAVAILABLE, "the stream ended after "
                    + (received - attempt.resumedAt) + " of " + attempt.request.getLength() + " bytes");
        } finally {
            lock.unlock();
        }
        launch(next);
    }

    private void onFailed(Attempt attempt, Throwable t) {
        Attempt next;
        lock.lock();
        try {
            if (attempt != current || cancelled || received == range.length()) {
                return;
            }
            GranaryException e = GrpcErrors.fromStatus(t);
            if (e.kind() == ErrorKind.DATA_LOSS) {
                badReplicas.report(range.chunk().handle(), attempt.replica.chunkserverId());
            }
            next = failedLocked(attempt, e.kind(), e.kind() + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
        launch(next);
    }

    private Attempt failedLocked(Attempt attempt, ErrorKind kind, String why) {
        String reason = failures.add(attempt.replica, kind, why);
        int left = range.chunk().replicas().size() - nextReplica;
        log.info("{}: reading chunk {} failed at byte {} of the range ({} replica(s) left to try): {}",
                options.name(), range.chunk().handle().hex(), received, left, reason);
        return nextAttemptLocked();
    }

    /** The attempt on the next replica, made current; null (and the fetch failed) when none is left. */
    private Attempt nextAttemptLocked() {
        List<Replica> replicas = range.chunk().replicas();
        if (nextReplica >= replicas.size()) {
            current = null;
            failure = failures.giveUp(range.chunk());
            changed.signalAll();
            return null;
        }
        current = new Attempt(replicas.get(nextReplica++), received);
        requested = true;
        return current;
    }

    private void launch(Attempt attempt) {
        if (attempt == null) {
            return;
        }
        try {
            ChunkServerServiceGrpc.newStub(channels.get(attempt.replica.address()))
                    .readChunk(attempt.request, attempt);
        } catch (RuntimeException e) {
            onFailed(attempt, e);
            return;
        }
        boolean stale;
        lock.lock();
        try {
            stale = cancelled || current != attempt;
        } finally {
            lock.unlock();
        }
        if (stale) {
            // cancel() ran while the call was being started and could not reach it yet.
            attempt.cancel("the reader closed the stream");
        }
    }

    /** One ReadChunk call to one replica, resuming at {@code resumedAt} bytes into the range. */
    private final class Attempt implements ClientResponseObserver<ReadChunkRequest, ReadChunkResponse> {
        final Replica replica;
        final long resumedAt;
        final ReadChunkRequest request;
        private volatile ClientCallStreamObserver<ReadChunkRequest> call;

        Attempt(Replica replica, long resumedAt) {
            this.replica = replica;
            this.resumedAt = resumedAt;
            this.request = ReadChunkRequest.newBuilder()
                    .setHandle(range.chunk().handle().value())
                    .setOffset(range.offsetInChunk() + resumedAt)
                    .setLength(range.length() - resumedAt)
                    .build();
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ReadChunkRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(ReadChunkResponse value) {
            onData(this, value.getData());
        }

        @Override
        public void onError(Throwable t) {
            onFailed(this, t);
        }

        @Override
        public void onCompleted() {
            ChunkFetch.this.onCompleted(this);
        }

        void request() {
            call.request(1);
        }

        void cancel(String why) {
            ClientCallStreamObserver<ReadChunkRequest> c = call;
            if (c != null) {
                c.cancel(why, null);
            }
        }
    }
}
