package io.granary.chunkserver.grpc;

import io.granary.chunkserver.store.ChunkReader;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;

/**
 * One ReadChunk call: sends verified pieces only while the transport is ready for them, so a slow
 * reader holds at most about one piece in memory here. Reads and sends run on the call's serial
 * executor, never on a gRPC thread.
 */
final class ReadChunkStream {
    private final ReadChunkRequest request;
    private final ServerCallStreamObserver<ReadChunkResponse> out;
    private final ChunkStore store;
    private final int maxMessageBytes;
    private final SerialExecutor serial;
    private ChunkReader reader;
    private boolean done;

    private ReadChunkStream(ReadChunkRequest request, ServerCallStreamObserver<ReadChunkResponse> out,
                            ChunkStore store, int maxMessageBytes, SerialExecutor serial) {
        this.request = request;
        this.out = out;
        this.store = store;
        this.maxMessageBytes = maxMessageBytes;
        this.serial = serial;
    }

    static void start(ReadChunkRequest request, ServerCallStreamObserver<ReadChunkResponse> out,
                      ChunkStore store, Executor disk, int maxMessageBytes) {
        ReadChunkStream stream = new ReadChunkStream(request, out, store, maxMessageBytes, new SerialExecutor(disk));
        out.setOnCancelHandler(() -> stream.serial.execute(stream::finish));
        out.setOnReadyHandler(() -> stream.serial.execute(stream::pump));
        stream.serial.execute(stream::pump);
    }

    private void pump() {
        if (done) {
            return;
        }
        try {
            if (reader == null) {
                reader = store.open(ChunkServerProtos.handle(request.getHandle()), request.getOffset(), request.getLength());
            }
            while (reader.remaining() > 0 && out.isReady() && !out.isCancelled()) {
                out.onNext(ChunkServerProtos.piece(reader.next(maxMessageBytes)));
            }
            if (reader.remaining() == 0) {
                finish();
                out.onCompleted();
            }
        } catch (RuntimeException | Error e) {
            finish();
            out.onError(GrpcErrors.toStatus(e));
        }
    }

    private void finish() {
        done = true;
        if (reader != null) {
            reader.close();
        }
    }
}
