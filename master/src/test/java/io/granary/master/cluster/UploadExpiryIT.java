package io.granary.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import io.granary.master.testing.FakeChunkServer;
import io.granary.master.testing.MasterFixture;
import io.granary.master.testing.SharedRedis;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.CommitUploadRequest;
import io.granary.proto.CommittedChunk;
import io.granary.proto.HeartbeatRequest;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.StartUploadRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An upload left idle longer than the master's upload timeout is abandoned and its chunks collected. */
class UploadExpiryIT {
    static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("expiry");

    @Test
    void anIdleUploadExpiresAfterTheConfiguredUploadTimeoutAndItsChunksAreDeleted() {
        try (MasterFixture cluster = MasterFixture.start(redis.uri(), c -> c
                .heartbeatInterval(Duration.ofMillis(100)).deadAfter(Duration.ofSeconds(2))
                .gcGrace(Duration.ZERO)
                .uploadTimeout(UPLOAD_TIMEOUT)
                .defaultChunkSizeBytes(64 * ByteSize.KIB))) {
            assertThat(cluster.server().config().uploadTimeout()).isEqualTo(UPLOAD_TIMEOUT);
            FakeChunkServer server = cluster.addChunkServer("cs-1");
            MasterServiceBlockingStub master = cluster.master();
            String upload = master.startUpload(StartUploadRequest.newBuilder().setPath("idle.bin").setReplication(1)
                    .build()).getUploadId();
            long handle = master.allocateChunk(AllocateChunkRequest.newBuilder().setUploadId(upload).build()).getHandle();
            server.hold(java.util.List.of(handle));

            // far less than the default hour: the configured timeout is what counts
            await().atMost(UPLOAD_TIMEOUT.plusSeconds(20)).untilAsserted(() -> assertThat(server.heartbeats())
                    .flatExtracting(HeartbeatRequest::getDeleteHandlesList).contains(handle));
            assertThatThrownBy(() -> master.commitUpload(CommitUploadRequest.newBuilder().setUploadId(upload)
                    .setSizeBytes(1).setSha256("00".repeat(32))
                    .addChunks(CommittedChunk.newBuilder().setIndex(0).setHandle(handle).setSizeBytes(1).addReplicas("cs-1"))
                    .build())).isInstanceOf(StatusRuntimeException.class);
            assertThat(server.handles()).doesNotContain(handle);
        }
    }
}
