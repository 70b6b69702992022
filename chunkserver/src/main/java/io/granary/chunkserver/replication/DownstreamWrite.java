package io.granary.chunkserver.replication;

import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The WriteChunk stream from this chunkserver to the next one of the chain. Every event it gets
 * from gRPC (ready again, answered, failed) is handed to its {@link Listener} on the caller's serial
 * executor. Its methods are called from that executor only.
 */
final class DownstreamWrite implements ClientResponseObserver<WriteChunkRequest, WriteChunkResponse> {

    /** What the upstream call hears from its downstream; every method runs on its serial executor. */
    interface Listener {
        /** The stream can take another message without buffering. */
        void downstreamReady(DownstreamWrite source);

        /** The rest of the chain fsynced the chunk; {@code replicas} are their ids, in chain order. */
        void downstreamDone(DownstreamWrite source, List<String> replicas);

        /** The stream failed: the rest of the chain is lost. */
        void downstreamFailed(DownstreamWrite source, Throwable failure);
    }

    private final String target;
    private final Executor serial;
    private final Listener listener;
    private ClientCallStreamObserver<WriteChunkRequest> requests;
    private volatile List<String> replicas = List.of();

    private DownstreamWrite(String target, Executor serial, Listener listener) {
        this.target = target;
        this.serial = serial;
        this.listener = listener;
    }

    /** Opens the stream to {@code channel} and sends {@code header}. Does not block. */
    static DownstreamWrite open(Channel channel, String target, WriteChunkRequest header, Executor serial,
                                Listener listener) {
        DownstreamWrite downstream = new DownstreamWrite(target, serial, listener);
        ChunkServerServiceGrpc.newStub(channel).writeChunk(downstream);
        downstream.send(header);
        return downstream;
    }

    /** The chunkserver this stream goes to, for logs. */
    String target() {
        return target;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WriteChunkRequest> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(() -> serial.execute(() -> listener.downstreamReady(this)));
    }

    boolean isReady() {
        return requests.isReady();
    }

    /** Queues a message; never blocks. A failure to send is reported like a failed stream. */
    void send(WriteChunkRequest message) {
        try {
            requests.onNext(message);
        } catch (RuntimeException e) {
            serial.execute(() -> listener.downstreamFailed(this, e));
        }
    }

    /** Sends the end marker and half-closes; the answer comes to {@link Listener#downstreamDone}. */
    void finish(WriteChunkRequest end) {
        send(end);
        try {
            requests.onCompleted();
        } catch (RuntimeException e) {
            serial.execute(() -> listener.downstreamFailed(this, e));
        }
    }

    /** Cancels the stream, so the rest of the chain aborts its copy. */
    void cancel(String why) {
        requests.cancel(why, null);
    }

    @Override
    public void onNext(WriteChunkResponse response) {
        replicas = List.copyOf(response.getReplicasList());
    }

    @Override
    public void onError(Throwable failure) {
        serial.execute(() -> listener.downstreamFailed(this, failure));
    }

    @Override
    public void onCompleted() {
        List<String> done = replicas;
        serial.execute(() -> listener.downstreamDone(this, done));
    }
}
