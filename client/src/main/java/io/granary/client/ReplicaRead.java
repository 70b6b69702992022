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
 * bytes on, with manual flow control: its listener asks for messages, at most
 * {@link #MESSAGES_IN_FLIGHT} at a time, so the next one is on its way while the reader takes the
 * last. Its events go to a {@link Listener}. The fields {@link #asked}, {@link #answered} and
 * {@link #askedAtNanos} belong to the listener, which guards them with its own lock.
 */
final class ReplicaRead implements ClientResponseObserver<ReadChunkRequest, ReadChunkResponse> {
    /** Told of the call's events, on gRPC threads; must not block. */
    interface Listener {
        void onData(ReplicaRead read, ByteString data);

        void onFailed(ReplicaRead read, Throwable t);

        void onCompleted(ReplicaRead read);
    }

    /**
     * Messages a read may have asked for and not received. Two keep a stream moving while its reader
     * copies out the message before, where one would cost a round trip per message; the HTTP/2 window
     * ({@link ClientOptions#chunkStreamWindowBytes}) bounds what is actually sent ahead.
     */
    static final int MESSAGES_IN_FLIGHT = 2;

    final Replica replica;
    final long resumedAt;
    final ReadChunkRequest request;
    private final int firstAsk;
    private final Listener listener;
    private volatile ClientCallStreamObserver<ReadChunkRequest> call;
    /** Messages asked for that have not arrived yet. */
    int asked;
    /** Whether a message arrived: only then has the call started, and may be asked for more. */
    boolean answered;
    /** When the read began waiting (System.nanoTime()): an ask with nothing outstanding, or its last message. */
    long askedAtNanos;

    /** @param firstAsk messages the call asks for when it starts, 1 to {@link #MESSAGES_IN_FLIGHT} */
    ReplicaRead(Replica replica, ChunkRange range, long resumedAt, int firstAsk, long nowNanos, Listener listener) {
        this.replica = replica;
        this.resumedAt = resumedAt;
        this.firstAsk = firstAsk;
        this.asked = firstAsk;
        this.askedAtNanos = nowNanos;
        this.listener = listener;
        this.request = ReadChunkRequest.newBuilder()
                .setHandle(range.chunk().handle().value())
                .setOffset(range.offsetInChunk() + resumedAt)
                .setLength(range.length() - resumedAt)
                .setAccess(range.chunk().access())
                .build();
    }

    /** Starts the call on {@code channel}. Does not block; may run listener callbacks. */
    void start(Channel channel) {
        ChunkServerServiceGrpc.newStub(channel).readChunk(request, this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ReadChunkRequest> requestStream) {
        call = requestStream;
        requestStream.disableAutoRequestWithInitial(firstAsk);
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

    /** Asks for {@code messages} more messages. */
    void request(int messages) {
        call.request(messages);
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
