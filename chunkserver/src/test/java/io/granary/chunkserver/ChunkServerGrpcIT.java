package io.granary.chunkserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.chunkserver.store.ChunkLayout;
import io.granary.common.ChunkHandle;
import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.HeartbeatResponse;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteEnd;
import io.granary.proto.WriteHeader;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real chunkservers on loopback sockets, chained as the master would chain them. */
class ChunkServerGrpcIT {
    private static final long HANDLE = 0x0123456789abcdefL;
    /** Forwarding down the chain and the test's own calls carry it, as in a real cluster. */
    private static final ClusterSecurity SECURITY = ClusterSecurity.of(ClusterSecret.generate());
    /** gRPC's shortest client keepalive, the most frequent a server must take. */
    private static final Duration CLIENT_KEEPALIVE = ClusterSecurity.PERMITTED_KEEPALIVE;

    @TempDir
    Path dir;

    private final FakeMaster fakeMaster = new FakeMaster(60_000);
    private Server master;
    private final List<ChunkServer> servers = new ArrayList<>();
    private final List<TestChunkClient> clients = new ArrayList<>();
    private ChunkServer a;
    private ChunkServer b;
    private ChunkServer c;

    @BeforeEach
    void startCluster() throws IOException {
        master = NettyServerBuilder.forPort(0).addService(fakeMaster).build().start();
        a = startChunkServer("cs-a");
        b = startChunkServer("cs-b");
        c = startChunkServer("cs-c");
    }

    @AfterEach
    void stopCluster() {
        clients.forEach(TestChunkClient::close);
        servers.forEach(ChunkServer::close);
        master.shutdownNow();
    }

    @Test
    void writesThroughTheChainSoEveryReplicaHoldsTheSameBytesAndServesAnyRange() throws IOException {
        byte[] content = random(5 * 1024 * 1024 + 4321, 1);

        WriteChunkResponse answer = client(a).write(HANDLE, content, List.of(b, c));

        assertThat(answer.getReplicasList()).containsExactly("cs-a", "cs-b", "cs-c");
        assertThat(answer.getSizeBytes()).isEqualTo(content.length);
        assertThat(answer.getHandle()).isEqualTo(HANDLE);
        Random random = new Random(2);
        for (ChunkServer server : List.of(a, b, c)) {
            assertThat(Files.readAllBytes(chunkFile(server))).as(server.id()).isEqualTo(content);
            TestChunkClient client = client(server);
            assertThat(client.read(HANDLE, 0, 0)).isEqualTo(content);
            assertThat(client.lastReadPieces).allSatisfy(size -> assertThat(size).isBetween(1, 1 << 20));
            for (int i = 0; i < 5; i++) {
                int offset = random.nextInt(content.length);
                int length = 1 + random.nextInt(content.length - offset);
                assertThat(client.read(HANDLE, offset, length))
                        .isEqualTo(Arrays.copyOfRange(content, offset, offset + length));
            }
        }
    }

    @Test
    void callersWithoutTheClusterSecretCanNeitherWriteNorReadChunks() {
        byte[] content = random(200_000, 9);
        client(a).write(HANDLE, content, List.of());
        long other = HANDLE + 1;
        for (ClusterSecurity intruder : List.of(ClusterSecurity.none(),
                ClusterSecurity.of(ClusterSecret.of("not-the-cluster-secret")))) {
            TestChunkClient client = client(a, intruder);

            assertThatThrownBy(() -> client.write(other, content, List.of(b)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> client.read(HANDLE, 0, 0))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        assertThat(List.of(a, b)).allSatisfy(s -> {
            assertThat(ChunkLayout.chunkFile(s.dataDir(), new ChunkHandle(other))).doesNotExist();
            assertThat(tmpFileCount(s)).isZero();
        });
        assertThat(chunkFile(a)).hasBinaryContent(content);
    }

    @Test
    void whenTheLastReplicaIsDownTheWriteSucceedsOnTheOthers() {
        byte[] content = random(700_000, 3);
        c.close();

        WriteChunkResponse answer = client(a).write(HANDLE, content, List.of(b, c));

        assertThat(answer.getReplicasList()).containsExactly("cs-a", "cs-b");
        assertThat(client(b).read(HANDLE, 0, 0)).isEqualTo(content);
        assertThat(chunkFile(c)).doesNotExist();
    }

    @Test
    void aClientThatCancelsMidWriteLeavesNoChunkOnAnyServer() {
        CompletableFuture<WriteChunkResponse> answer = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> requests = client(a).startWrite(HANDLE, List.of(b, c), answer);
        TestChunkClient.sendData(requests, random(300_000, 4));
        await().atMost(Duration.ofSeconds(10)).until(() -> servers.stream().allMatch(s -> tmpFileCount(s) == 1));

        requests.onError(new RuntimeException("the uploader gave up"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(servers)
                .allSatisfy(s -> assertThat(tmpFileCount(s)).isZero()));
        assertThat(servers).allSatisfy(s -> {
            assertThat(chunkFile(s)).doesNotExist();
            assertThat(s.store().contains(new ChunkHandle(HANDLE))).isFalse();
        });
    }

    @Test
    void aWriteWhoseEndSizeIsWrongIsRefusedEverywhere() {
        byte[] content = random(100_000, 5);

        assertThatThrownBy(() -> client(a).write(HANDLE, content, List.of(b, c), content.length + 1))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("received 100000 bytes but the writer declared 100001");
                });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(servers)
                .allSatisfy(s -> assertThat(tmpFileCount(s)).isZero()));
        assertThat(servers).allSatisfy(s -> assertThat(chunkFile(s)).doesNotExist());
    }

    @Test
    void refusesStreamsOutOfOrderAndHandlesThatExistAlready() {
        client(a).write(HANDLE, random(10, 6), List.of());
        assertThatThrownBy(() -> client(a).write(HANDLE, random(10, 7), List.of()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));

        CompletableFuture<WriteChunkResponse> answer = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> requests = client(b).startWrite(HANDLE + 1, List.of(), answer);
        requests.onNext(WriteChunkRequest.newBuilder()
                .setHeader(WriteHeader.newBuilder().setHandle(HANDLE + 2)).build()); // a second header
        assertThatThrownBy(() -> TestChunkClient.await(answer))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("the header must come first, and once");

        CompletableFuture<WriteChunkResponse> unfinished = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> noEnd = client(c).startWrite(HANDLE, List.of(), unfinished);
        TestChunkClient.sendData(noEnd, random(1000, 11));
        noEnd.onCompleted();
        assertThatThrownBy(() -> TestChunkClient.await(unfinished))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("ended without an end marker");
        assertThat(chunkFile(c)).doesNotExist();
    }

    @Test
    void aReadOfACorruptedReplicaFailsWithDataLossWhileOtherReplicasServe() throws IOException {
        byte[] content = random(400_000, 8);
        client(a).write(HANDLE, content, List.of(b));
        try (RandomAccessFile file = new RandomAccessFile(chunkFile(b).toFile(), "rw")) {
            file.seek(300_000);
            int original = file.read();
            file.seek(300_000);
            file.write(original ^ 1);
        }

        assertThatThrownBy(() -> client(b).read(HANDLE, 0, 0))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
                    assertThat(e.getStatus().getDescription()).isEqualTo(
                            "chunk 0123456789abcdef on cs-b: checksum mismatch in block 4");
                });
        assertThat(client(a).read(HANDLE, 0, 0)).isEqualTo(content);
        assertThat(b.store().corruptHandles()).containsExactly(new ChunkHandle(HANDLE));
    }

    @Test
    void aCorruptReplicaIsReportedToTheMasterAndListedWithTheNextFullReport() throws IOException {
        client(a).write(HANDLE, random(200_000, 11), List.of(b));
        corrupt(chunkFile(b), 150_000);

        assertThatThrownBy(() -> client(b).read(HANDLE, 0, 0)).isInstanceOf(StatusRuntimeException.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> !fakeMaster.badReplicas.isEmpty());
        assertThat(fakeMaster.badReplicas.get(0).getHandle()).isEqualTo(HANDLE);
        assertThat(fakeMaster.badReplicas.get(0).getChunkserverId()).isEqualTo("cs-b");
        HeartbeatResponse report = client(b).heartbeat(HeartbeatRequest.newBuilder()
                .setMasterId("fake-master").setWantChunkReport(true).build());
        assertThat(report.getHandlesList()).containsExactly(HANDLE);
        assertThat(report.getCorruptHandlesList()).containsExactly(HANDLE);
    }

    @Test
    void copyChunkPullsAVerifiedReplicaFromAnotherChunkServer() {
        byte[] content = random(300_000, 12);
        client(a).write(HANDLE, content, List.of());

        assertThat(client(c).copy(HANDLE, a).getSizeBytes()).isEqualTo(content.length);

        assertThat(client(c).read(HANDLE, 0, 0)).isEqualTo(content);
        assertThat(chunkFile(c)).exists().hasSize(content.length);
        assertThatThrownBy(() -> client(c).copy(HANDLE, a)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    }

    @Test
    void copyChunkFromACorruptReplicaFailsWithDataLossAndLeavesNothing() throws IOException {
        client(a).write(HANDLE, random(300_000, 13), List.of());
        corrupt(chunkFile(a), 200_000);

        assertThatThrownBy(() -> client(c).copy(HANDLE, a)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS));

        assertThat(c.store().contains(new ChunkHandle(HANDLE))).isFalse();
        assertThat(chunkFile(c)).doesNotExist();
        assertThat(c.store().usedBytes()).isZero();
    }

    @Test
    void heartbeatDeletesWhatTheMasterNoLongerNeedsAndReportsTheRest() {
        client(a).write(1, random(1000, 9), List.of());
        client(a).write(2, random(2000, 10), List.of());

        HeartbeatResponse withReport = client(a).heartbeat(HeartbeatRequest.newBuilder()
                .setMasterId("fake-master").addDeleteHandles(1).setWantChunkReport(true).build());
        HeartbeatResponse plain = client(a).heartbeat(HeartbeatRequest.newBuilder().setMasterId("fake-master").build());

        assertThat(withReport.getChunkserverId()).isEqualTo("cs-a");
        assertThat(withReport.getChunkReport()).isTrue();
        assertThat(withReport.getHandlesList()).containsExactly(2L);
        assertThat(withReport.getChunkCount()).isEqualTo(1);
        assertThat(withReport.getUsedBytes()).isEqualTo(2000);
        assertThat(withReport.getCapacityBytes()).isGreaterThan(2000);
        assertThat(ChunkLayout.chunkFile(a.dataDir(), new ChunkHandle(1))).doesNotExist();
        assertThat(plain.getChunkReport()).isFalse();
        assertThat(plain.getHandlesList()).isEmpty();
        assertThat(plain.getChunkCount()).isEqualTo(1);
    }

    @Test
    void aReplicaBelowThatIsAtItsWriteLimitFailsTheWholeChainAsBusyInsteadOfDroppingACopy() throws IOException {
        ChunkServer busy = startChunkServer("cs-busy", 1);
        CompletableFuture<WriteChunkResponse> held = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> occupying = client(busy).startWrite(HANDLE + 1, List.of(), held);
        await().atMost(Duration.ofSeconds(10)).until(() -> busy.scrapeMetrics().contains("granary_chunkserver_writes_active 1.0"));

        assertThatThrownBy(() -> client(a).write(HANDLE, random(300_000, 5), List.of(busy)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("cs-busy is busy");
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> a.scrapeMetrics().contains("granary_chunkserver_writes_active 0.0"));
        occupying.onError(Status.CANCELLED.asException()); // a copy a committed meanwhile is garbage the master collects
    }

    /**
     * A writer that pauses (a slow uploader behind the gateway) keeps pinging its idle connection, as a
     * chunkserver's channels do every {@link ChunkServer#KEEPALIVE}; the chunkserver must not take more
     * than two pings without an answer in between for abuse and cut the connection with the write on it.
     * The pings here come every 10 s, gRPC's shortest keepalive.
     */
    @Test
    void aWriteThatPausesThroughSeveralKeepalivePingsIsNotCut() throws Exception {
        byte[] content = random(300_000, 11);
        ManagedChannel pinging = SECURITY.channelBuilder(a.address())
                .keepAliveTime(CLIENT_KEEPALIVE.toSeconds(), TimeUnit.SECONDS).build();
        TestChunkClient client = new TestChunkClient(pinging);
        clients.add(client);
        CompletableFuture<WriteChunkResponse> answer = new CompletableFuture<>();
        StreamObserver<WriteChunkRequest> requests = client.startWrite(HANDLE, List.of(b), answer);
        TestChunkClient.sendData(requests, Arrays.copyOfRange(content, 0, 100_000));

        // the passage of time is the behaviour under test: four pings go out while the stream is idle
        Thread.sleep(CLIENT_KEEPALIVE.multipliedBy(4).plusSeconds(2).toMillis());
        TestChunkClient.sendData(requests, Arrays.copyOfRange(content, 100_000, content.length));
        requests.onNext(WriteChunkRequest.newBuilder().setEnd(WriteEnd.newBuilder().setSizeBytes(content.length)).build());
        requests.onCompleted();

        assertThat(TestChunkClient.await(answer).getReplicasList()).containsExactly("cs-a", "cs-b");
        assertThat(chunkFile(b)).hasBinaryContent(content);
    }

    /**
     * A reader that goes silent without closing its connection (its machine lost, its route dropped)
     * stops holding the chunkserver's read budget once the chunkserver's keepalive ping goes
     * unanswered. Without the ping its stalled stream would hold its message until TCP gave up, which,
     * with no byte in flight, is never.
     */
    @Test
    void aReaderThatGoesSilentGivesTheReadBudgetBackOnceAPingGoesUnanswered() throws Exception {
        byte[] content = random(8 * 1024 * 1024, 12);
        client(a).write(HANDLE, content, List.of());
        try (FreezingProxy proxy = FreezingProxy.to(a.address())) {
            ManagedChannel channel = SECURITY.channelBuilder(proxy.address()).build();
            clients.add(new TestChunkClient(channel));
            // one message asked for, never another: the stream stalls once the reader's window is full
            ChunkServerServiceGrpc.newStub(channel).readChunk(ReadChunkRequest.newBuilder().setHandle(HANDLE).build(),
                    new ClientResponseObserver<ReadChunkRequest, ReadChunkResponse>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<ReadChunkRequest> call) {
                            call.disableAutoRequestWithInitial(1);
                        }

                        @Override
                        public void onNext(ReadChunkResponse value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> readBuffered(a) > 0);

            proxy.freeze();

            await().atMost(ClusterSecurity.KEEPALIVE.multipliedBy(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> readBuffered(a) == 0);
        }
    }

    private static double readBuffered(ChunkServer server) {
        return server.scrapeMetrics().lines().filter(line -> line.startsWith("granary_chunkserver_read_buffered_bytes "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no granary_chunkserver_read_buffered_bytes"));
    }

    private ChunkServer startChunkServer(String id) throws IOException {
        return startChunkServer(id, ChunkServerConfig.DEFAULT_MAX_CHUNK_WRITES);
    }

    private ChunkServer startChunkServer(String id, int maxWrites) throws IOException {
        ChunkServer server = new ChunkServer(ChunkServerConfig.builder("127.0.0.1:" + master.getPort(), dir.resolve(id))
                .port(0).id(id).advertiseAddress("127.0.0.1").maxChunkWrites(maxWrites).build(), SECURITY);
        servers.add(server);
        server.start();
        return server;
    }

    private TestChunkClient client(ChunkServer server) {
        return client(server, SECURITY);
    }

    private TestChunkClient client(ChunkServer server, ClusterSecurity security) {
        TestChunkClient client = new TestChunkClient(security.channelBuilder(server.address()).build());
        clients.add(client);
        return client;
    }

    private static void corrupt(Path file, long at) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            int original = raf.read();
            raf.seek(at);
            raf.write(original ^ 1);
        }
    }

    private static Path chunkFile(ChunkServer server) {
        return ChunkLayout.chunkFile(server.dataDir(), new ChunkHandle(HANDLE));
    }

    private static long tmpFileCount(ChunkServer server) {
        try (Stream<Path> files = Files.list(server.dataDir().resolve("tmp"))) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
