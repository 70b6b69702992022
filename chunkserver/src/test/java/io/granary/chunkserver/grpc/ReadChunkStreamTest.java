package io.granary.chunkserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.chunkserver.store.ChunkReader;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.store.ChunkWriter;
import io.granary.common.ChunkHandle;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ReadChunk over a real in-process gRPC transport, with readers whose disk reads are counted. */
class ReadChunkStreamTest {
    private static final int MESSAGE = 1000;
    private static final long CHUNK = 100 * MESSAGE;

    private final ExecutorService disk = Executors.newFixedThreadPool(2);
    private final List<CountingReader> readers = new CopyOnWriteArrayList<>();
    private ReadBudget budget = new ReadBudget(3 * MESSAGE);
    private volatile Error failWith;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new ChunkServerServiceGrpc.ChunkServerServiceImplBase() {
            @Override
            public void readChunk(ReadChunkRequest request, StreamObserver<ReadChunkResponse> responses) {
                ReadChunkStream.start(request, (ServerCallStreamObserver<ReadChunkResponse>) responses, new Store(),
                        disk, MESSAGE, budget);
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        disk.shutdownNow();
    }

    @Test
    void aReaderThatAsksForNothingMoreGetsNothingMoreReadFromDisk() {
        SlowClient client = SlowClient.open(channel);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.received.get() == 1);

        // one message asked for: it, and at most what the transport takes before it says not ready
        CountingReader reader = readers.get(0);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> reader.reads.get() <= 3);
        assertThat(budget.usedBytes()).isLessThanOrEqualTo(3L * MESSAGE);
        client.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.closed && budget.usedBytes() == 0);
    }

    @Test
    void stalledStreamsTogetherHoldNoMoreThanTheBudgetAndTheRestWaitWithoutReading() {
        budget = new ReadBudget(MESSAGE);
        SlowClient first = SlowClient.open(channel);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.received.get() == 1);
        SlowClient second = SlowClient.open(channel);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> second.received.get() == 0);

        first.cancel(); // its budget comes back, and the waiting stream goes on

        await().atMost(Duration.ofSeconds(5)).until(() -> second.received.get() == 1);
        second.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.usedBytes() == 0
                && readers.stream().allMatch(r -> r.closed));
    }

    @Test
    void anErrorWhileSendingEndsTheCallClosesTheReaderAndReturnsTheBudget() {
        failWith = new OutOfMemoryError("Cannot reserve 1048576 bytes of direct buffer memory");
        SlowClient client = SlowClient.open(channel);

        Status status = client.ended.orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("out of memory");
        assertThat(readers.get(0).closed).isTrue();
        assertThat(budget.usedBytes()).isZero();
    }

    /** Asks for one message and no more until cancelled. */
    private static final class SlowClient implements ClientResponseObserver<ReadChunkRequest, ReadChunkResponse> {
        final AtomicInteger received = new AtomicInteger();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        private ClientCallStreamObserver<ReadChunkRequest> call;

        static SlowClient open(ManagedChannel channel) {
            SlowClient client = new SlowClient();
            ChunkServerServiceGrpc.newStub(channel).readChunk(ReadChunkRequest.newBuilder().setHandle(1)
                    .setLength(CHUNK).build(), client);
            return client;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ReadChunkRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(ReadChunkResponse value) {
            received.incrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
        }

        void cancel() {
            call.cancel("the reader went away", null);
        }
    }

    private final class CountingReader implements ChunkReader {
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean closed;
        private long left = CHUNK;

        @Override
        public long remaining() {
            return left;
        }

        @Override
        public ByteBuffer next(int maxBytes) {
            reads.incrementAndGet();
            if (failWith != null) {
                throw failWith;
            }
            int n = (int) Math.min(maxBytes, left);
            left -= n;
            return ByteBuffer.allocate(n);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Serves one chunk of zeros; nothing else. */
    private final class Store implements ChunkStore {
        @Override
        public ChunkReader open(ChunkHandle handle, long offset, long length) {
            CountingReader reader = new CountingReader();
            readers.add(reader);
            return reader;
        }

        @Override
        public ChunkWriter create(ChunkHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChunkWriter replace(ChunkHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size(ChunkHandle handle) {
            return CHUNK;
        }

        @Override
        public boolean contains(ChunkHandle handle) {
            return true;
        }

        @Override
        public void delete(ChunkHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<ChunkHandle> handles() {
            return Set.of();
        }

        @Override
        public Set<ChunkHandle> corruptHandles() {
            return Set.of();
        }

        @Override
        public long usedBytes() {
            return 0;
        }

        @Override
        public int chunkCount() {
            return 1;
        }

        @Override
        public long capacityBytes() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
