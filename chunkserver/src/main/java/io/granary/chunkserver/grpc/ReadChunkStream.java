package io.granary.chunkserver.grpc;

import io.granary.chunkserver.store.ChunkReader;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.wire.ChunkServerProtos;
import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ReadChunk call: reads a piece from disk only while the transport is ready for it and the
 * node's {@link ReadBudget} has room, so a slow reader holds at most about one message here and all
 * readers together at most the budget. Reads and sends run on the call's serial executor, never on
 * a gRPC thread; every path (done, error, cancel, deadline) closes the reader and returns the
 * call's budget, exactly once.
 */
final class ReadChunkStream {
    private static final Logger log = LoggerFactory.getLogger(ReadChunkStream.class);

    private final ReadChunkRequest request;
    private final ServerCallStreamObserver<ReadChunkResponse> out;
    private final ChunkStore store;
    private final int maxMessageBytes;
    private final SerialExecutor serial;
    private final ReadBudget budget;
    private final Runnable wake = this::schedulePump;
    private ChunkReader reader;
    /** Budget bytes of messages handed to gRPC since the transport was last seen ready. */
    private long heldBytes;
    private boolean done;

    private ReadChunkStream(ReadChunkRequest request, ServerCallStreamObserver<ReadChunkResponse> out,
                            ChunkStore store, int maxMessageBytes, SerialExecutor serial, ReadBudget budget) {
        this.request = request;
        this.out = out;
        this.store = store;
        this.maxMessageBytes = maxMessageBytes;
        this.serial = serial;
        this.budget = budget;
    }

    static void start(ReadChunkRequest request, ServerCallStreamObserver<ReadChunkResponse> out,
                      ChunkStore store, Executor disk, int maxMessageBytes, ReadBudget budget) {
        ReadChunkStream stream = new ReadChunkStream(request, out, store, maxMessageBytes, new SerialExecutor(disk),
                budget);
        // a cancelled call (by its client, or its deadline) is ended here, once, on the serial lane
        out.setOnCancelHandler(() -> stream.serial.execute(stream::finish));
        out.setOnReadyHandler(stream::schedulePump);
        stream.schedulePump();
    }

    private void schedulePump() {
        serial.execute(this::pump);
    }

    private void pump() {
        if (done) {
            return;
        }
        try {
            if (out.isCancelled()) {
                finish();
                return;
            }
            if (reader == null) {
                reader = store.open(ChunkServerProtos.handle(request.getHandle()), request.getOffset(), request.getLength());
            }
            while (reader.remaining() > 0 && out.isReady() && !out.isCancelled()) {
                releaseHeld(); // ready again: what was handed over before has been flushed
                int size = (int) Math.min(budget.messageBytes(maxMessageBytes), reader.remaining());
                if (!budget.tryReserve(size, wake)) {
                    return; // woken when bytes come back
                }
                heldBytes += size;
                out.onNext(ChunkServerProtos.piece(reader.next(size)));
            }
            if (out.isReady()) {
                releaseHeld();
            }
            if (reader.remaining() == 0) {
                finish();
                out.onCompleted();
            }
        } catch (RuntimeException | Error e) {
            // an Error too (a direct-memory OutOfMemoryError while framing): the call must still end
            fail(e);
        }
    }

    /**
     * Ends the call with the status {@link GrpcErrors#toStatus} gives (which logs an Error as one):
     * an OutOfMemoryError is "overloaded" with a retry pushback, since the memory comes back as calls end.
     */
    private void fail(Throwable e) {
        finish();
        try {
            out.onError(GrpcErrors.toStatus(e));
        } catch (RuntimeException closed) {
            log.debug("ReadChunk of {} ended by its client first: {}", request.getHandle(), closed.toString());
        }
    }

    private void releaseHeld() {
        budget.release(heldBytes);
        heldBytes = 0;
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        budget.forget(wake);
        releaseHeld();
        if (reader != null) {
            reader.close();
        }
    }
}
