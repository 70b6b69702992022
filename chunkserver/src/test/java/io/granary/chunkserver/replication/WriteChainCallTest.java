package io.granary.chunkserver.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.granary.chunkserver.grpc.SerialExecutor;
import io.granary.chunkserver.store.FileChunkStore;
import io.granary.common.ByteSize;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteHeader;
import io.granary.common.OverloadedException;
import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.WriteEnd;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
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
    private WriteAdmission admission = new WriteAdmission("cs-test", 4, 16 * ByteSize.MIB);
    private final AtomicReference<Metadata> pushback = new AtomicReference<>();
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

    @Test
    void aWriteThatCompletesReleasesItsAdmission() throws Exception {
        start(() -> null);
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> requests = open(ended);
        requests.onNext(piece(100_000));
        requests.onNext(WriteChunkRequest.newBuilder().setEnd(WriteEnd.newBuilder().setSizeBytes(100_000)).build());
        requests.onCompleted();

        assertThat(ended.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(admission.activeWrites()).isZero();
        assertThat(admission.bufferedBytes()).isZero();
        assertThat(admission.peakBufferedBytes()).isEqualTo(WriteAdmission.EXPECTED_PIECE_BYTES);
    }

    @Test
    void aWriteItsWriterCancelsReleasesItsAdmission() throws Exception {
        start(() -> null);
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> requests = open(ended);
        requests.onNext(piece(1000));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.written.get() == 1000);

        requests.onError(Status.CANCELLED.withDescription("the test gave up").asException());

        await().atMost(Duration.ofSeconds(10)).until(() -> admission.activeWrites() == 0);
        assertThat(admission.bufferedBytes()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.aborted.get() == 1);
    }

    @Test
    void aWriteBeyondTheLimitIsRefusedAtOnceAsBusyWhileTheOthersGoOn() throws Exception {
        start(() -> null);
        List<StreamObserver<WriteChunkRequest>> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(open(new CompletableFuture<>(), HANDLE + 1 + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.activeWrites() == 4);

        CompletableFuture<Status> refused = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> fifth = open(refused);

        Status status = refused.get(10, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("busy", "4 chunk writes in progress");
        assertThat(GrpcErrors.fromStatus(status.asRuntimeException(pushback.get())))
                .isInstanceOf(OverloadedException.class);
        assertThat(admission.activeWrites()).isEqualTo(4);
        fifth.onCompleted();
        open.forEach(StreamObserver::onCompleted);
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.activeWrites() == 0);
    }

    @Test
    void aWriteIsRefusedAtItsHeaderWhenTheBufferHasNoRoomForAFirstPiece() throws Exception {
        admission = new WriteAdmission("cs-test", 4, WriteAdmission.EXPECTED_PIECE_BYTES + 1000);
        start(() -> null);
        StreamObserver<WriteChunkRequest> holding = open(new CompletableFuture<>(), HANDLE + 1);
        holding.onNext(piece((int) WriteAdmission.EXPECTED_PIECE_BYTES));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.written.get() == WriteAdmission.EXPECTED_PIECE_BYTES);

        CompletableFuture<Status> refused = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> second = open(refused, HANDLE + 2); // its header only, no piece

        Status status = refused.get(10, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("busy", "buffer");
        assertThat(admission.activeWrites()).isEqualTo(1);
        assertThat(admission.peakBufferedBytes()).isEqualTo(WriteAdmission.EXPECTED_PIECE_BYTES);
        second.onCompleted();
        holding.onCompleted();
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.activeWrites() == 0);
    }

    @Test
    void aWriteReservesItsFirstPieceBeforeAskingForItAndOnlyALargerPieceGrowsTheReservation() throws Exception {
        start(() -> null);
        StreamObserver<WriteChunkRequest> requests = open(new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.bufferedBytes() == WriteAdmission.EXPECTED_PIECE_BYTES);

        requests.onNext(piece(1000));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.written.get() == 1000);
        assertThat(admission.bufferedBytes()).isEqualTo(WriteAdmission.EXPECTED_PIECE_BYTES);

        requests.onNext(piece((int) (2 * ByteSize.MIB)));
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.bufferedBytes() == 2 * ByteSize.MIB);
        requests.onCompleted();
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.activeWrites() == 0);
        assertThat(admission.bufferedBytes()).isZero();
    }

    @Test
    void aHeaderAnnouncingASmallFirstPieceReservesOnlyThatAndALargerPieceIsStillTaken() throws Exception {
        start(() -> null);
        StreamObserver<WriteChunkRequest> small = open(new CompletableFuture<>(), HANDLE, 4096);
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.bufferedBytes() == 4096);
        small.onNext(piece(4096));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.written.get() == 4096);
        assertThat(admission.bufferedBytes()).isEqualTo(4096);

        StreamObserver<WriteChunkRequest> understated = open(new CompletableFuture<>(), HANDLE + 1, 1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.bufferedBytes() == 4096 + 1000);
        understated.onNext(piece(300_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.written.get() == 4096 + 300_000);
        assertThat(admission.bufferedBytes()).isEqualTo(4096 + 300_000);

        small.onCompleted();
        understated.onCompleted();
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.activeWrites() == 0);
        assertThat(admission.bufferedBytes()).isZero();
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
        open(ended).onNext(piece(1024));
        return ended.get(10, TimeUnit.SECONDS);
    }

    private StreamObserver<WriteChunkRequest> open(CompletableFuture<Status> ended) {
        return open(ended, HANDLE);
    }

    private StreamObserver<WriteChunkRequest> open(CompletableFuture<Status> ended, long handle) {
        return open(ended, handle, 0);
    }

    /**
     * Opens a write of chunk {@code handle} and sends its header, announcing a first piece of
     * {@code firstPieceBytes} (0: none); {@code ended} gets the call's status.
     */
    private StreamObserver<WriteChunkRequest> open(CompletableFuture<Status> ended, long handle, long firstPieceBytes) {
        StreamObserver<WriteChunkRequest> requests = ChunkServerServiceGrpc.newStub(channel)
                .writeChunk(new StreamObserver<>() {
                    @Override
                    public void onNext(WriteChunkResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        pushback.set(Status.trailersFromThrowable(t));
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        requests.onNext(WriteChunkRequest.newBuilder().setHeader(WriteHeader.newBuilder().setHandle(handle)
                .setFirstPieceBytes(firstPieceBytes)).build());
        return requests;
    }

    private static WriteChunkRequest piece(int size) {
        return WriteChunkRequest.newBuilder().setData(ByteString.copyFrom(new byte[size])).build();
    }
}
