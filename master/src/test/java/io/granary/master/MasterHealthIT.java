package io.granary.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.master.testing.RedisFixture;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master's {@code grpc.health.v1} service over a real socket. */
class MasterHealthIT {
    @TempDir
    Path dir;

    @Test
    void reportsServingOnceStartedAndStopsAnsweringWhenClosed() {
        try (RedisFixture redis = RedisFixture.start(dir)) {
            // A cluster secret guards every other service; probes carry none and must still be answered.
            MasterServer master = new MasterServer(MasterConfig.builder(redis.uri()).port(0).masterId("m1").build(),
                    ClusterSecurity.of(ClusterSecret.generate()));
            master.start();
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", master.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

                assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(ServingStatus.SERVING);
                assertThat(master.serving()).as("the readiness the metrics port answers").isTrue();
                master.close();
                assertThat(master.serving()).isFalse();
                assertThatThrownBy(() -> health.check(HealthCheckRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                channel.shutdownNow();
                master.close();
            }
        }
    }

    @Test
    void reportsNotServingWhileRedisIsDownAndServingOnceItIsBack() {
        try (RedisFixture redis = RedisFixture.start(dir)) {
            MasterServer master = new MasterServer(MasterConfig.builder(redis.uri()).port(0).masterId("m1")
                    .heartbeatInterval(Duration.ofMillis(100)).deadAfter(Duration.ofSeconds(5))
                    .redisTimeout(Duration.ofMillis(500)).build(), ClusterSecurity.none());
            master.start();
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", master.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
                assertThat(status(health)).isEqualTo(ServingStatus.SERVING);

                redis.stop();
                await().atMost(Duration.ofSeconds(15)).until(() -> status(health) == ServingStatus.NOT_SERVING);
                assertThat(master.serving()).as("the readiness the metrics port answers").isFalse();
                redis.startAgain();
                await().atMost(Duration.ofSeconds(15)).until(() -> status(health) == ServingStatus.SERVING);
                assertThat(master.serving()).isTrue();
            } finally {
                channel.shutdownNow();
                master.close();
            }
        }
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub health) {
        return health.check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }
}
