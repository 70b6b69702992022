package io.granary.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.StandbyRefusal;
import io.granary.master.testing.RedisFixture;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.GetClusterRequest;
import io.granary.proto.ListDirectoryRequest;
import io.granary.proto.ListTokensRequest;
import io.granary.proto.MakeDirectoryRequest;
import io.granary.proto.MasterServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several masters on one Redis, over real sockets: one active, the others standbys that refuse
 * metadata calls naming it, and take over when it stops (invariant 8: a master restart, or a
 * failover, loses no committed data).
 */
class MasterFailoverIT {
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final String LEASE_KEY = MasterConfig.DEFAULT_KEY_PREFIX + ":master:lease";

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void aSecondMasterIsAStandbyThatRefusesMetadataCallsNamingTheActiveOne() {
        RedisFixture redis = keep(RedisFixture.start(dir));
        MasterServer active = start(redis, "m1", "");
        MasterServer standby = start(redis, "m2", "");

        assertThat(active.active()).isTrue();
        assertThat(standby.active()).isFalse();
        assertThat(standby.serving()).isFalse();
        ManagedChannel channel = channelTo(standby);
        assertThat(health(channel, "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(health(channel, MasterServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(health(channelTo(active), MasterServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);

        assertRefusedNaming(active.advertisedAddress(),
                () -> MasterServiceGrpc.newBlockingStub(channel).getCluster(GetClusterRequest.getDefaultInstance()));
        assertRefusedNaming(active.advertisedAddress(),
                () -> MasterServiceGrpc.newBlockingStub(channel).makeDirectory(
                        MakeDirectoryRequest.newBuilder().setPath("made-on-a-standby").build()));
        assertRefusedNaming(active.advertisedAddress(),
                () -> AuthServiceGrpc.newBlockingStub(channel).listTokens(ListTokensRequest.getDefaultInstance()));
        assertThat(MasterServiceGrpc.newBlockingStub(channelTo(active)).listDirectory(
                        ListDirectoryRequest.newBuilder().setPath("").build()).getEntriesList())
                .as("a refused call changed nothing").isEmpty();
    }

    @Test
    void aStandbyTakesOverWhenTheActiveMasterStopsAndServesWhatItCommitted() {
        RedisFixture redis = keep(RedisFixture.start(dir));
        MasterServer first = start(redis, "m1", "");
        MasterServer second = start(redis, "m2", "");
        MasterServiceGrpc.newBlockingStub(channelTo(first))
                .makeDirectory(MakeDirectoryRequest.newBuilder().setPath("kept").build());
        long firstEpoch = first.epoch();

        first.close();

        await().atMost(Duration.ofSeconds(10)).until(second::active);
        assertThat(second.epoch()).isGreaterThan(firstEpoch);
        ManagedChannel channel = channelTo(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(channel, "") == ServingStatus.SERVING);
        assertThat(MasterServiceGrpc.newBlockingStub(channel).listDirectory(
                ListDirectoryRequest.newBuilder().setPath("").build()).getEntriesList())
                .extracting(entry -> entry.getName()).containsExactly("kept");
    }

    @Test
    void aMasterWhoseLeaseWasTakenStepsDownAndThenRefusesCallsNamingTheNewOne() {
        RedisFixture redis = keep(RedisFixture.start(dir));
        MasterServer first = start(redis, "m1", "");
        MasterServer second = start(redis, "m2", "");
        long firstEpoch = first.epoch();

        assertThat(gauge(first, "granary_cluster_chunkservers_live")).isZero();
        assertThat(gauge(first, "granary_master_active")).isEqualTo(1);

        // as if the first had stalled past its lease: Redis ends the lease, the standby takes it
        withRedis(redis, commands -> commands.del(LEASE_KEY));

        await().atMost(Duration.ofSeconds(10)).until(second::active);
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.active());
        assertThat(second.epoch()).isGreaterThan(firstEpoch);
        // a standby's scrape shows no count of the term it lost
        assertThat(gauge(first, "granary_master_active")).isZero();
        assertThat(gauge(first, "granary_cluster_chunkservers_live")).isNaN();
        assertThat(gauge(second, "granary_master_active")).isEqualTo(1);
        assertThat(gauge(second, "granary_cluster_chunkservers_live")).isZero();
        ManagedChannel channel = channelTo(first);
        // it may have stepped down before the second took the lease: it names it from its next look
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertRefusedNaming(second.advertisedAddress(),
                () -> MasterServiceGrpc.newBlockingStub(channel).makeDirectory(
                        MakeDirectoryRequest.newBuilder().setPath("after-the-takeover").build())));
        assertThat(MasterServiceGrpc.newBlockingStub(channelTo(second)).listDirectory(
                ListDirectoryRequest.newBuilder().setPath("").build()).getEntriesList()).isEmpty();
    }

    @Test
    void aMasterRestartedAtItsAddressTakesItsLeaseBackAtOnce() {
        RedisFixture redis = keep(RedisFixture.start(dir));
        // a master that died holding the lease: its lease has most of its time to live left
        withRedis(redis, commands -> {
            commands.hset(LEASE_KEY, Map.of("holder", "node-a.test:7070", "epoch", "7"));
            commands.pexpire(LEASE_KEY, Duration.ofMinutes(10).toMillis());
            commands.set(MasterConfig.DEFAULT_KEY_PREFIX + ":master:epoch", "7");
        });

        MasterServer other = start(redis, "m2", "node-b.test:7070");
        MasterServer restarted = start(redis, "m1", "node-a.test:7070");

        assertThat(other.active()).as("the lease of a master at another address is respected").isFalse();
        assertThat(restarted.active()).isTrue();
        assertThat(restarted.epoch()).isEqualTo(8);
    }

    /** The value of an unlabelled series in the master's scrape. */
    private static double gauge(MasterServer master, String series) {
        return master.metrics().scrape().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " in the scrape"));
    }

    private static void assertRefusedNaming(String activeAddress, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(StandbyRefusal.isRefusal(e.getStatus(), e.getTrailers())).isTrue();
            assertThat(StandbyRefusal.activeMaster(e.getTrailers())).contains(activeAddress);
        });
    }

    private MasterServer start(RedisFixture redis, String id, String advertise) {
        MasterServer master = new MasterServer(MasterConfig.builder(redis.uri()).port(0).masterId(id)
                .advertise(advertise).leaseTtl(LEASE).heartbeatInterval(Duration.ofMillis(200))
                .deadAfter(Duration.ofSeconds(5)).redisTimeout(Duration.ofMillis(500)).build(), ClusterSecurity.none());
        keep(master);
        master.start();
        return master;
    }

    private ManagedChannel channelTo(MasterServer master) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", master.port(),
                InsecureChannelCredentials.create()).build();
        keep(channel::shutdownNow);
        return channel;
    }

    private static ServingStatus health(ManagedChannel channel, String service) {
        return HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService(service).build())
                .getStatus();
    }

    /** Changes Redis beside the masters, as an operator or a failure would. */
    private static void withRedis(RedisFixture redis, Consumer<RedisCommands<String, String>> change) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            change.accept(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }
}
