package io.granary.chunkserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.store.ChunkWriter;
import io.granary.chunkserver.store.FileChunkStore;
import io.granary.common.ChunkHandle;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.StandbyRefusal;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.RegisterChunkServerResponse;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunkserver and a fake master over the in-process transport, addressed as if over the network. */
class ChunkServerRegistrationIT {
    private static final String MASTER_ADDRESS = "master.test:7000";
    private static final String CS_ADDRESS = "cs.test:7001";
    private static final String STANDBY_ADDRESS = "standby.test:7000";
    private static final long CAPACITY = 10 << 20;

    @TempDir
    Path dir;

    private final String masterName = InProcessServerBuilder.generateName();
    private final String csName = InProcessServerBuilder.generateName();
    private final String standbyName = InProcessServerBuilder.generateName();
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>(); // closed last-in first-out

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void startsWithoutTheMasterThenRegistersWithItsChunkReportOnceTheMasterIsUp() throws IOException {
        ChunkHandle first = new ChunkHandle(0x11);
        ChunkHandle second = new ChunkHandle(0x22);
        try (ChunkStore store = FileChunkStore.open(dir, "cs-before", 0)) {
            storeChunk(store, first, 1000);
            storeChunk(store, second, 3000);
        }
        ChunkServer server = startChunkServer(null, csName);

        FakeMaster master = startMaster(60_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> !master.registrations.isEmpty());
        RegisterChunkServerRequest registration = master.registrations.get(0);
        assertThat(registration.getId()).isEqualTo(server.id()).matches("cs-[0-9a-f]{8}");
        assertThat(registration.getAddress()).isEqualTo(CS_ADDRESS);
        assertThat(registration.getCapacityBytes()).isEqualTo(CAPACITY);
        assertThat(registration.getUsedBytes()).isEqualTo(4000);
        assertThat(registration.getHandlesList()).containsExactlyInAnyOrder(first.value(), second.value());
    }

    @Test
    void registersWithTheActiveMasterThatAStandbyNames() throws IOException {
        AtomicInteger refused = new AtomicInteger();
        var refusing = new MasterServiceGrpc.MasterServiceImplBase() {
            @Override
            public void registerChunkServer(RegisterChunkServerRequest request,
                                            StreamObserver<RegisterChunkServerResponse> responses) {
                refused.incrementAndGet();
                responses.onError(StandbyRefusal.of("standby", Optional.of(MASTER_ADDRESS)));
            }
        };
        Server standby = InProcessServerBuilder.forName(standbyName).addService(refusing).build().start();
        toClose.push(standby::shutdownNow);
        FakeMaster master = startMaster(60_000);

        ChunkServer server = new ChunkServer(config("cs-follow").toBuilder()
                .masterAddress(STANDBY_ADDRESS + "," + MASTER_ADDRESS).build(),
                InProcessServerBuilder.forName(csName), channels());
        toClose.push(server);
        server.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> master.registrations.size() == 1);
        assertThat(refused).hasValue(1);
    }

    @Test
    void registersAgainOnlyWhenTheMasterStopsHeartbeating() throws IOException {
        FakeMaster master = startMaster(200);
        startChunkServer("cs-x", csName);
        await().atMost(Duration.ofSeconds(10)).until(() -> master.registrations.size() == 1);
        TestChunkClient client = new TestChunkClient(InProcessChannelBuilder.forName(csName).build());
        toClose.push(client);
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleWithFixedDelay(() -> client.heartbeat(HeartbeatRequest.newBuilder()
                .setMasterId("fake-master").build()), 0, 50, TimeUnit.MILLISECONDS);

        // Heartbeats every 50 ms against a 3 x 200 ms limit: the master clearly still knows us.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> master.registrations.size() == 1);
        heartbeats.shutdownNow();

        await().atMost(Duration.ofSeconds(5)).until(() -> master.registrations.size() == 2);
        assertThat(master.registrations.get(1).getId()).isEqualTo("cs-x");
    }

    @Test
    void aKilledChunkServerRestartsWithItsIdentityAndChunks() throws IOException {
        FakeMaster master = startMaster(60_000);
        ChunkServer first = startChunkServer(null, csName);
        // Registration is asynchronous: let the first life register, or the restart's would be the first.
        await().atMost(Duration.ofSeconds(10)).until(() -> master.registrations.size() == 1);
        storeChunk(first.store(), new ChunkHandle(0x33), 5000);
        ChunkWriter unfinished = first.store().create(new ChunkHandle(0x44));
        unfinished.write(ByteBuffer.allocate(100));

        first.kill();
        ChunkServer restarted = startChunkServer(null, InProcessServerBuilder.generateName());

        assertThat(restarted.id()).isEqualTo(first.id());
        assertThat(restarted.store().handles()).containsExactly(new ChunkHandle(0x33));
        await().atMost(Duration.ofSeconds(10)).until(() -> master.registrations.size() == 2);
        assertThat(master.registrations.get(1).getHandlesList()).containsExactly(0x33L);
        ChunkServer impostor = new ChunkServer(config("cs-other"), InProcessServerBuilder.forName("x"), channels());
        assertThatThrownBy(impostor::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to chunkserver '" + first.id() + "', not 'cs-other'");
    }

    private FakeMaster startMaster(long heartbeatIntervalMs) throws IOException {
        FakeMaster master = new FakeMaster(heartbeatIntervalMs);
        Server server = InProcessServerBuilder.forName(masterName).addService(master).build().start();
        toClose.push(server::shutdownNow);
        return master;
    }

    private ChunkServer startChunkServer(String id, String inProcessName) throws IOException {
        ChunkServer server = new ChunkServer(config(id), InProcessServerBuilder.forName(inProcessName), channels());
        toClose.push(server);
        server.start();
        return server;
    }

    private ChunkServerConfig config(String id) {
        return ChunkServerConfig.builder(MASTER_ADDRESS, dir).port(0).id(id).advertiseAddress(CS_ADDRESS)
                .capacityBytes(CAPACITY).build();
    }

    /** Maps the addresses the nodes use to in-process servers. */
    private ChannelPool channels() {
        Map<String, String> names = Map.of(MASTER_ADDRESS, masterName, CS_ADDRESS, csName, STANDBY_ADDRESS, standbyName);
        return new ChannelPool(address -> InProcessChannelBuilder.forName(names.get(address)).build(), Duration.ZERO);
    }

    private static void storeChunk(ChunkStore store, ChunkHandle handle, int size) {
        ChunkWriter writer = store.create(handle);
        writer.write(ByteBuffer.allocate(size));
        writer.commit(size);
    }
}
