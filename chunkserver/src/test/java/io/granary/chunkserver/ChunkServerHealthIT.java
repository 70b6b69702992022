package io.granary.chunkserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunkserver's {@code grpc.health.v1} service over a real socket; no master is needed to serve. */
class ChunkServerHealthIT {
    @TempDir
    Path dir;

    @Test
    void reportsServingOnceStartedAndStopsAnsweringWhenClosed() throws IOException {
        // nothing listens on port 1: registration keeps retrying in the background, which must not matter
        // a cluster secret guards every other service; probes carry none and must still be answered
        ChunkServer server = new ChunkServer(ChunkServerConfig.builder("127.0.0.1:1", dir).port(0).id("cs-health")
                .capacityBytes(10 << 20).build(),
                ClusterSecurity.of(ClusterSecret.generate()));
        server.start();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                InsecureChannelCredentials.create()).build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);

            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
            assertThat(server.serving()).as("the readiness the metrics port answers").isTrue();
            server.close();
            assertThat(server.serving()).isFalse();
            assertThatThrownBy(() -> health.check(HealthCheckRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow();
            server.close();
        }
    }
}
