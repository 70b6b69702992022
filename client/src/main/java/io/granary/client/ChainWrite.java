package io.granary.client;

import com.google.protobuf.ByteString;
import io.granary.common.ByteSize;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.granary.common.grpc.GrpcErrors;
import io.granary.common.meta.Replica;
import io.granary.proto.ChunkServerServiceGrpc.ChunkServerServiceStub;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteEnd;
import io.granary.proto.WriteHeader;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One WriteChunk call to the head of a replica chain: header, data pieces, end marker. Each message
 * waits for gRPC flow control ({@code isReady}), so at most one piece plus gRPC's bounded buffers is
 * in memory. Driven by one uploading thread; the gRPC callbacks only record what happened and wake
 * that thread.
 */
final class ChainWrite implements ClientResponseObserver<WriteChunkRequest, WriteChunkResponse> {
    /**
     * The slowest a chain may commit a chunk once it has all the bytes (each replica fsyncs what it
     * received, while any bytes still in flight drain down the chain): 1 MiB/s, far below any disk, so
     * that only a hung or failed replica is given up on.
     */
    static final long MIN_COMMIT_BYTES_PER_SECOND = ByteSize.MIB;

    private final Object lock = new Object();
    private final ChunkHandle handle;
    private final Replica head;
    private final Duration idleTimeout;
    private volatile ClientCallStreamObserver<WriteChunkRequest> requests;
    private long readySignals;
    private boolean finished;
    private Throwable failure;
    private WriteChunkResponse response;
    /** The size the end marker declared, -1 before it is sent; and when the answer to it is due. */
    private long endedSize = -1;
    private long answerDue;

    private ChainWrite(ChunkHandle handle, Replica head, Duration idleTimeout) {
        this.handle = handle;
        this.head = head;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Starts the call and sends the header naming the rest of the chain, with the master's ticket for
     * it ({@code access}; "" when the client has the cluster secret and needs none) and the size of the
     * first piece it will send, so that the chain reserves no more for it.
     */
    static ChainWrite open(ChunkServerServiceStub stub, ChunkHandle handle, List<Replica> chain, String access,
                            long firstPieceBytes, Duration deadline, Duration idleTimeout) {
        ChainWrite writer = new ChainWrite(handle, chain.get(0), idleTimeout);
        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).writeChunk(writer);
        writer.send(WriteChunkRequest.newBuilder()
                .setHeader(WriteHeader.newBuilder()
                        .setHandle(handle.value())
                        .setAccess(access)
                        .setFirstPieceBytes(firstPieceBytes)
                        .addAllDownstream(ClientProtos.toLocations(chain.subList(1, chain.size()))))
                .build());
        return writer;
    }

    void sendData(ByteString piece) {
        send(WriteChunkRequest.newBuilder().setData(piece).build());
    }

    /**
     * Sends the end marker of a chunk of {@code size} bytes and half-closes the call; the chain's
     * answer is then due within {@link #answerTimeout} of {@code size}, see {@link #awaitAnswer()}.
     */
    void end(long size) {
        send(WriteChunkRequest.newBuilder().setEnd(WriteEnd.newBuilder().setSizeBytes(size)).build());
        requests.onCompleted();
        endedSize = size;
        answerDue = System.nanoTime() + answerTimeout(size).toNanos();
    }

    /**
     * Blocks until the chain answers the end marker sent by {@link #end}, or its answer is overdue;
     * then the call is cancelled (every replica aborts its copy) and DEADLINE_EXCEEDED thrown. An
     * answer that came while the caller did other work is returned at once, however late it is asked for.
     */
    WriteChunkResponse awaitAnswer() {
        if (endedSize < 0) {
            throw new IllegalStateException("the end of chunk " + handle.hex() + " was not sent");
        }
        if (!awaitEnd(answerDue)) {
            Duration timeout = answerTimeout(endedSize);
            requests.cancel("no answer to the end marker within " + timeout, null);
            throw new GranaryException(ErrorKind.DEADLINE_EXCEEDED, target() + " did not answer the end of chunk "
                    + handle.hex() + " (" + endedSize + " bytes) within " + timeout.toSeconds() + "s");
        }
        synchronized (lock) {
            if (failure != null) {
                throw failed();
            }
            if (response == null) {
                throw new GranaryException(ErrorKind.INTERNAL, target() + " ended the write without an answer");
            }
            return response;
        }
    }

    /**
     * How long a chain may take to answer the end marker of a chunk of {@code sizeBytes}: the idle
     * timeout plus the time to commit the bytes at {@link #MIN_COMMIT_BYTES_PER_SECOND}.
     */
    Duration answerTimeout(long sizeBytes) {
        return idleTimeout.plusMillis(sizeBytes * 1000 / MIN_COMMIT_BYTES_PER_SECOND);
    }

    /** Waits for the call to end; false when {@code giveUpAt} passed first. */
    private boolean awaitEnd(long giveUpAt) {
        return awaitUnderLock(() -> finished, giveUpAt);
    }

    /** Cancels the call unless it already ended; safe to call at any time. */
    void cancel(String reason) {
        synchronized (lock) {
            if (finished) {
                return;
            }
        }
        requests.cancel(reason, null);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WriteChunkRequest> requestStream) {
        requests = requestStream;
        requestStream.setOnReadyHandler(() -> {
            synchronized (lock) {
                readySignals++;
                lock.notifyAll();
            }
        });
    }

    @Override
    public void onNext(WriteChunkResponse value) {
        synchronized (lock) {
            response = value;
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (lock) {
            failure = t;
            finished = true;
            lock.notifyAll();
        }
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            finished = true;
            lock.notifyAll();
        }
    }

    /**
     * Sends once flow control allows. Out of direct memory for the message, the call is cancelled and
     * the failure becomes an {@link OverloadedException}: the upload answers "retry later" instead of
     * dying with an Error that no caller handles.
     */
    private void send(WriteChunkRequest message) {
        awaitReady();
        try {
            requests.onNext(message);
        } catch (OutOfMemoryError e) {
            requests.cancel("out of memory", e);
            throw new OverloadedException("no memory to send chunk " + handle.hex() + " to " + target() + " ("
                    + e.getMessage() + ")", OverloadedException.DEFAULT_RETRY_AFTER, e);
        }
    }

    /**
     * Blocks until gRPC can take a message. isReady() is read outside our lock (it takes gRPC's own
     * locks); the onReady counter tells whether readiness may have changed since we looked. Calls
     * are cancelled outside our lock too, since cancelling may run callbacks that take it.
     */
    private void awaitReady() {
        long giveUpAt = System.nanoTime() + idleTimeout.toNanos();
        while (true) {
            long seen;
            synchronized (lock) {
                throwIfEnded();
                seen = readySignals;
            }
            if (requests.isReady()) {
                return;
            }
            if (!awaitSignalAfter(seen, giveUpAt)) {
                requests.cancel("no flow-control credit for " + idleTimeout, null);
                throw new GranaryException(ErrorKind.DEADLINE_EXCEEDED, target() + " accepted no data for "
                        + idleTimeout.toSeconds() + "s while writing chunk " + handle.hex());
            }
        }
    }

    /** Waits for an onReady signal or the end of the call; false when {@code giveUpAt} passed first. */
    private boolean awaitSignalAfter(long seen, long giveUpAt) {
        return awaitUnderLock(() -> readySignals != seen || finished, giveUpAt);
    }

    /**
     * Waits on {@code lock} until {@code done}, evaluated while holding it, is true; false when
     * {@code giveUpAt} ({@link System#nanoTime()}) passed first.
     */
    private boolean awaitUnderLock(BooleanSupplier done, long giveUpAt) {
        try {
            synchronized (lock) {
                while (!done.getAsBoolean()) {
                    long left = giveUpAt - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                return true;
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private void throwIfEnded() {
        if (failure != null) {
            throw failed();
        }
        if (finished) {
            throw new GranaryException(ErrorKind.INTERNAL, target() + " ended the write of chunk " + handle.hex()
                    + " before it was complete");
        }
    }

    private GranaryException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        requests.cancel("interrupted", e);
        return new GranaryException(ErrorKind.CANCELLED, "interrupted while writing chunk " + handle.hex(), e);
    }

    private GranaryException failed() {
        GranaryException cause = GrpcErrors.fromStatus(failure);
        String message = "writing chunk " + handle.hex() + " to " + target() + " failed: " + cause.getMessage();
        if (cause instanceof OverloadedException busy) {
            return new OverloadedException(message, busy.retryAfter(), failure);
        }
        return new GranaryException(cause.kind(), message, failure);
    }

    private String target() {
        return head.chunkserverId() + " (" + head.address() + ")";
    }
}
