package io.granary.chunkserver.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.granary.chunkserver.grpc.SerialExecutor;
import io.granary.chunkserver.store.FileChunkStore;
import io.granary.common.ByteSize;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteHeader;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One chunkserver's write call, in process, over a store that fails as the test says. */
class WriteChainCallTest {
    private static final long HANDLE = 0x42L;

    @TempDir
    Path dir;

    private final ExecutorService disk = Executors.newFixedThreadPool(2);
    private final WriteAdmission admission = new WriteAdmission(4, 16 * ByteSize.MIB);
    private Server server;
    private ManagedChannel channel;
    private FailingChunkStore store;

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow();
        disk.shutdownNow();
        disk.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void anErrorWhileWritingAPieceEndsTheCallWithAnErrorAndReleasesItsAdmission() throws Exception {
        start(() -> new OutOfMemoryError("Cannot reserve 2097152 bytes of direct buffer memory"));

        Status status = writeOnePiece();

        assertThat(status.getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL);
        assertThat(store.aborted.get()).isEqualTo(1);
        assertThat(admission.activeWrites()).isZero();
        assertThat(admission.bufferedBytes()).isZero();
    }

    @Test
    void anUnexpectedErrorEndsTheCallAsInternal() throws Exception {
        start(() -> new StackOverflowError());

        Status status = writeOnePiece();

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(admission.activeWrites()).isZero();
    }

    private void start(Supplier<Throwable> failure) throws IOException {
        store = new FailingChunkStore(FileChunkStore.open(dir, "cs-test", 0), failure);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new ChunkServerServiceGrpc.ChunkServerServiceImplBase() {
                    @Override
                    public StreamObserver<WriteChunkRequest> writeChunk(StreamObserver<WriteChunkResponse> responses) {
                        return WriteChainCall.start("cs-test", store, admission, address -> {
                            throw new IllegalStateException("no downstream in this test");
                        }, new SerialExecutor(disk), (ServerCallStreamObserver<WriteChunkResponse>) responses);
                    }
                }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** Sends a header and one piece, and waits (with a deadline) for the call to end. */
    private Status writeOnePiece() throws Exception {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> requests = ChunkServerServiceGrpc.newStub(channel)
                .writeChunk(new StreamObserver<>() {
                    @Override
                    public void onNext(WriteChunkResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        requests.onNext(WriteChunkRequest.newBuilder().setHeader(WriteHeader.newBuilder().setHandle(HANDLE)).build());
        requests.onNext(WriteChunkRequest.newBuilder().setData(ByteString.copyFrom(new byte[1024])).build());
        return ended.get(10, TimeUnit.SECONDS);
    }
}
