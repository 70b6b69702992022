package io.granary.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.ByteSize;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.store.RedisUris;
import io.granary.master.testing.RedisFixture;
import io.granary.proto.ClusterInfo;
import io.granary.proto.EntryType;
import io.granary.proto.FileInfo;
import io.granary.proto.GetClusterRequest;
import io.granary.proto.GetFileRequest;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.MasterServiceGrpc.MasterServiceBlockingStub;
import io.granary.proto.StartUploadRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master as a process: real sockets, start-up failures, errors as statuses. */
class MasterServerIT {
    @TempDir
    Path dir;

    @Test
    void servesOverARealSocketAndAnswersErrorsAsStatusesWithMessages() {
        try (RedisFixture redis = RedisFixture.start(dir);
             MasterServer master = new MasterServer(MasterConfig.builder(redis.uri()).port(0).masterId("m1").build(),
                     ClusterSecurity.none())) {
            master.start();
            assertThat(master.port()).isPositive();
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", master.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                MasterServiceBlockingStub stub = MasterServiceGrpc.newBlockingStub(channel);

                FileInfo root = stub.getFile(GetFileRequest.newBuilder().setPath("").build());
                assertThat(root.getType()).isEqualTo(EntryType.ENTRY_TYPE_DIRECTORY);
                assertThat(root.getInode()).isEqualTo(1);
                assertStatus(() -> stub.getFile(GetFileRequest.newBuilder().setPath("a/../b").build()),
                        Status.Code.INVALID_ARGUMENT, "path has a '..' segment");
                assertStatus(() -> stub.getFile(GetFileRequest.newBuilder().setPath("missing").build()),
                        Status.Code.NOT_FOUND, "nothing at 'missing'");
                assertStatus(() -> stub.startUpload(StartUploadRequest.newBuilder().setPath("x").build()),
                        Status.Code.UNAVAILABLE, "replication 3 needs 3 live chunkservers; 0 are alive");
                ClusterInfo cluster = stub.getCluster(GetClusterRequest.getDefaultInstance());
                assertThat(cluster.getMasterId()).isEqualTo("m1");
                assertThat(cluster.getDefaultReplication()).isEqualTo(3);
                assertThat(cluster.getDefaultChunkSizeBytes()).isEqualTo(64 * ByteSize.MIB);
                assertThat(cluster.getChunkserversList()).isEmpty();
            } finally {
                channel.shutdownNow();
            }
            master.close();
            master.close();
        }
    }

    @Test
    void refusesToStartWithoutRedisSayingWhy() {
        String uri;
        try (RedisFixture redis = RedisFixture.start(dir)) {
            uri = redis.uri();
        }
        MasterServer master = new MasterServer(MasterConfig.builder(uri).port(0).build(), ClusterSecurity.none());

        assertThatThrownBy(master::start)
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("cannot connect to " + RedisUris.masked(uri));
        master.close();
    }

    private static void assertStatus(Runnable call, Status.Code code, String description) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).isEqualTo(description);
                });
    }
}
