package io.granary.client;

import com.google.protobuf.ByteString;
import io.granary.common.meta.Replica;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * One ReadChunk call to one replica, for the part of a {@link ChunkRange} from {@code resumedAt}
 * bytes on, with manual flow control: one message is asked for at a time. Its events go to a
 * {@link Listener}. The fields {@link #asked} and {@link #askedAtNanos} belong to the listener, which
 * guards them with its own lock.
 */
final class ReplicaRead implements ClientResponseObserver<ReadChunkRequest, ReadChunkResponse> {
    /** Told of the call's events, on gRPC threads; must not block. */
    interface Listener {
        void onData(ReplicaRead read, ByteString data);

        void onFailed(ReplicaRead read, Throwable t);

        void onCompleted(ReplicaRead read);
    }

    final Replica replica;
    final long resumedAt;
    final ReadChunkRequest request;
    private final Listener listener;
    private volatile ClientCallStreamObserver<ReadChunkRequest> call;
    /** Whether a message was asked for and has not arrived yet; a new call asks for its first one. */
    boolean asked = true;
    /** When the outstanding message was asked for (System.nanoTime()). */
    long askedAtNanos;

    ReplicaRead(Replica replica, ChunkRange range, long resumedAt, long nowNanos, Listener listener) {
        this.replica = replica;
        this.resumedAt = resumedAt;
        this.askedAtNanos = nowNanos;
        this.listener = listener;
        this.request = ReadChunkRequest.newBuilder()
                .setHandle(range.chunk().handle().value())
                .setOffset(range.offsetInChunk() + resumedAt)
                .setLength(range.length() - resumedAt)
                .build();
    }

    /** Starts the call on {@code channel}. Does not block; may run listener callbacks. */
    void start(Channel channel) {
        ChunkServerServiceGrpc.newStub(channel).readChunk(request, this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ReadChunkRequest> requestStream) {
        call = requestStream;
        requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(ReadChunkResponse value) {
        listener.onData(this, value.getData());
    }

    @Override
    public void onError(Throwable t) {
        listener.onFailed(this, t);
    }

    @Override
    public void onCompleted() {
        listener.onCompleted(this);
    }

    /** Asks for one more message. */
    void request() {
        call.request(1);
    }

    /**
     * Cancels the call, so the transport frees what it holds for it; its onError follows. A no-op
     * before the call started.
     */
    void cancel(String why) {
        ClientCallStreamObserver<ReadChunkRequest> c = call;
        if (c != null) {
            c.cancel(why, null);
        }
    }

    @Override
    public String toString() {
        return replica.chunkserverId() + " (" + replica.address() + ")";
    }
}
