package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.granary.client.ChunkServerView;
import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.meta.FileMeta;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.DeleteFileRequest;
import io.granary.proto.GetFileRequest;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.StartUploadRequest;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteEnd;
import io.granary.proto.WriteHeader;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Going around the gateway: direct gRPC calls, over real sockets, to a real cluster's master and
 * chunkservers without the cluster secret and with a wrong one. Each is refused UNAUTHENTICATED
 * and changes nothing: no chunk file on disk, no file gone, no chunkserver registered.
 */
class ClusterSecretIT {
    private static final long SIZE = 300_000;
    private static final String KEPT = "secret/kept.bin";
    private static final long FOREIGN_HANDLE = 0x7ead_beef_0000_0001L;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .replication(2)
            .chunkservers(2)
            .chunkSize(64 * 1024)
            .build();
    static FileMeta kept;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void uploadTheKeptFile() {
        kept = cluster.client().upload(KEPT, TestBytes.stream(1, SIZE), UploadOptions.defaults());
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    static List<ClusterSecurity> intruders() {
        return List.of(ClusterSecurity.none(), ClusterSecurity.of(ClusterSecret.of("a-guess-that-is-long-enough")));
    }

    @Test
    void theMasterRefusesEveryCallWithoutTheSecretAndNothingChanges() {
        for (ClusterSecurity intruder : intruders()) {
            var master = MasterServiceGrpc.newBlockingStub(channel(intruder, cluster.masterAddress()))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);

            assertUnauthenticated(() -> master.getFile(GetFileRequest.newBuilder().setPath("/" + KEPT).build()));
            assertUnauthenticated(() -> master.startUpload(StartUploadRequest.newBuilder()
                    .setPath("/secret/planted.bin").build()));
            assertUnauthenticated(() -> master.deleteFile(DeleteFileRequest.newBuilder().setPath("/" + KEPT).build()));
            assertUnauthenticated(() -> master.registerChunkServer(RegisterChunkServerRequest.newBuilder()
                    .setId("impostor").setAddress("127.0.0.1:1").setCapacityBytes(1L << 40).build()));
        }

        GranaryClient client = cluster.client();
        assertThat(client.stat(KEPT).sha256()).isEqualTo(kept.sha256());
        assertThat(download(client, KEPT)).isEqualTo(TestBytes.slice(1, 0, (int) SIZE));
        assertThatThrownBy(() -> client.stat("secret/planted.bin")).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(client.cluster().chunkservers()).extracting(ChunkServerView::id).doesNotContain("impostor");
    }

    @Test
    void chunkserversNeitherWriteNorReadChunksForCallersWithoutTheSecret() {
        ChunkHandle keptHandle = kept.chunks().get(0).handle();
        for (ClusterSecurity intruder : intruders()) {
            for (int index = 0; index < 2; index++) {
                ManagedChannel channel = channel(intruder, cluster.chunkServer(index).address());

                assertUnauthenticated(() -> read(channel, keptHandle));
                assertUnauthenticated(() -> write(channel, FOREIGN_HANDLE, TestBytes.slice(2, 0, 100_000)));
            }
        }

        for (int index = 0; index < 2; index++) {
            assertThat(DiskReplicas.chunkFile(cluster, index, new ChunkHandle(FOREIGN_HANDLE))).doesNotExist();
            assertThat(cluster.chunkServer(index).store().contains(new ChunkHandle(FOREIGN_HANDLE))).isFalse();
        }
        // the same calls with the secret work: the refusals above were the secret's doing
        ManagedChannel trusted = channel(cluster.security(), cluster.chunkServer(0).address());
        assertThat(read(trusted, keptHandle)).isEqualTo(TestBytes.slice(1, 0, 64 * 1024));
    }

    @Test
    void aClientLibraryWithoutTheSecretGetsAClearError() {
        try (GranaryClient stranger = GranaryClient.connect(cluster.masterAddress(), ClientOptions.defaults())) {
            assertThatThrownBy(() -> stranger.stat(KEPT)).isInstanceOf(GranaryException.class)
                    .hasMessageContaining("missing cluster secret").hasMessageNotContaining(cluster.clusterSecret());
        }
    }

    @Test
    void healthProbesNeedNoSecret() {
        List<String> addresses = List.of(cluster.masterAddress(), cluster.chunkServer(0).address());
        for (String address : addresses) {
            assertThat(HealthGrpc.newBlockingStub(channel(ClusterSecurity.none(), address))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        }
    }

    @Test
    void serverReflectionListsTheGranaryServicesOnlyToCallersWithTheSecret() {
        assertThat(reflectedServices(cluster.security(), cluster.masterAddress()))
                .contains("granary.v1.MasterService", "granary.v1.AuthService", "granary.v1.GrantService");
        assertThat(reflectedServices(cluster.security(), cluster.chunkServer(0).address()))
                .contains("granary.v1.ChunkServerService");
        for (ClusterSecurity intruder : intruders()) {
            for (String address : List.of(cluster.masterAddress(), cluster.chunkServer(0).address())) {
                assertUnauthenticated(() -> reflectedServices(intruder, address));
            }
        }
    }

    /** The service names a {@code grpc.reflection.v1} client (as grpcurl is) lists at {@code address}. */
    private List<String> reflectedServices(ClusterSecurity security, String address) {
        FirstResponse<ServerReflectionResponse> answer = new FirstResponse<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel(security, address))
                .withDeadlineAfter(10, TimeUnit.SECONDS).serverReflectionInfo(answer);
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        ServerReflectionResponse response = answer.await();
        return response.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
    }


    private ManagedChannel channel(ClusterSecurity security, String address) {
        ManagedChannel channel = security.channelBuilder(address).build();
        channels.add(channel);
        return channel;
    }

    private static void assertUnauthenticated(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    private static byte[] read(ManagedChannel channel, ChunkHandle handle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkServerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .readChunk(ReadChunkRequest.newBuilder().setHandle(handle.value()).build())
                .forEachRemaining(piece -> out.writeBytes(piece.getData().toByteArray()));
        return out.toByteArray();
    }

    private static WriteChunkResponse write(ManagedChannel channel, long handle, byte[] content) {
        FirstResponse<WriteChunkResponse> answer = new FirstResponse<>();
        StreamObserver<WriteChunkRequest> requests = ChunkServerServiceGrpc.newStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).writeChunk(answer);
        requests.onNext(WriteChunkRequest.newBuilder().setHeader(WriteHeader.newBuilder().setHandle(handle)).build());
        requests.onNext(WriteChunkRequest.newBuilder().setData(ByteString.copyFrom(content)).build());
        requests.onNext(WriteChunkRequest.newBuilder().setEnd(WriteEnd.newBuilder().setSizeBytes(content.length)).build());
        requests.onCompleted();
        return answer.await();
    }

    private static byte[] download(GranaryClient client, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.download(path, 0, -1, out);
        return out.toByteArray();
    }
}
