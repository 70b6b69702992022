package io.granary.chunkserver;

import com.google.protobuf.ByteString;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.CopyChunkRequest;
import io.granary.proto.CopyChunkResponse;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.HeartbeatResponse;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteEnd;
import io.granary.proto.WriteHeader;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What a gateway does with a chunkserver, written plainly for tests. */
final class TestChunkClient implements AutoCloseable {
    /** Uneven piece sizes, so pieces straddle 64 KiB blocks and messages differ in size. */
    private static final int[] PIECES = {1, 77_777, 1 << 20, 333_331, 4099};

    private final ManagedChannel channel;
    private final ChunkServerServiceGrpc.ChunkServerServiceStub async;
    private final ChunkServerServiceGrpc.ChunkServerServiceBlockingStub blocking;
    /** Sizes of the data messages of the last read. */
    List<Integer> lastReadPieces = List.of();

    TestChunkClient(ManagedChannel channel) {
        this.channel = channel;
        this.async = ChunkServerServiceGrpc.newStub(channel);
        this.blocking = ChunkServerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static ChunkLocation location(ChunkServer server) {
        return ChunkLocation.newBuilder().setChunkserverId(server.id()).setAddress(server.address()).build();
    }

    /** Opens a write; the caller sends data and ends it. */
    StreamObserver<WriteChunkRequest> startWrite(long handle, List<ChunkServer> downstream,
                                                 CompletableFuture<WriteChunkResponse> answer) {
        StreamObserver<WriteChunkRequest> requests = async.writeChunk(new StreamObserver<>() {
            @Override
            public void onNext(WriteChunkResponse response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(null);
            }
        });
        WriteHeader.Builder header = WriteHeader.newBuilder().setHandle(handle);
        downstream.forEach(server -> header.addDownstream(location(server)));
        requests.onNext(WriteChunkRequest.newBuilder().setHeader(header).build());
        return requests;
    }

    static void sendData(StreamObserver<WriteChunkRequest> requests, byte[] content) {
        int offset = 0;
        for (int i = 0; offset < content.length; i++) {
            int n = Math.min(PIECES[i % PIECES.length], content.length - offset);
            requests.onNext(WriteChunkRequest.newBuilder().setData(ByteString.copyFrom(content, offset, n)).build());
            offset += n;
        }
    }

    /** Writes a whole chunk through a chain, declaring {@code declaredSize} at the end. */
    WriteChunkResponse write(long handle, byte[] content, List<ChunkServer> downstream, long declaredSize) {
        CompletableFuture<WriteChunkResponse> answer = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> requests = startWrite(handle, downstream, answer);
        sendData(requests, content);
        requests.onNext(WriteChunkRequest.newBuilder().setEnd(WriteEnd.newBuilder().setSizeBytes(declaredSize)).build());
        requests.onCompleted();
        return await(answer);
    }

    WriteChunkResponse write(long handle, byte[] content, List<ChunkServer> downstream) {
        return write(handle, content, downstream, content.length);
    }

    byte[] read(long handle, long offset, long length) {
        Iterator<ReadChunkResponse> pieces = blocking.readChunk(
                ReadChunkRequest.newBuilder().setHandle(handle).setOffset(offset).setLength(length).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        pieces.forEachRemaining(piece -> {
            sizes.add(piece.getData().size());
            out.writeBytes(piece.getData().toByteArray());
        });
        lastReadPieces = sizes;
        return out.toByteArray();
    }

    /** Orders this chunkserver to copy a chunk from {@code source}, as the master's repair does. */
    CopyChunkResponse copy(long handle, ChunkServer source) {
        return blocking.copyChunk(CopyChunkRequest.newBuilder().setHandle(handle).setSource(location(source)).build());
    }

    HeartbeatResponse heartbeat(HeartbeatRequest request) {
        return blocking.heartbeat(request);
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer from the chunkserver", e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
