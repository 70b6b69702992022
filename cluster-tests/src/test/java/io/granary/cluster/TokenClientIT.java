package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.client.NewS3Key;
import io.granary.client.NewToken;
import io.granary.client.S3KeyMeta;
import io.granary.client.UploadOptions;
import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.PartRef;
import io.granary.proto.AllocateChunkRequest;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.ChunkLocation;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.FileInfo;
import io.granary.proto.GetFileRequest;
import io.granary.proto.MasterServiceGrpc;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.RegisterChunkServerRequest;
import io.granary.proto.ResolveTokenRequest;
import io.granary.proto.StartUploadRequest;
import io.granary.proto.StartUploadResponse;
import io.granary.proto.WriteChunkRequest;
import io.granary.proto.WriteChunkResponse;
import io.granary.proto.WriteEnd;
import io.granary.proto.WriteHeader;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Java client holding only a token, no cluster secret, against a real cluster over real sockets: it
 * acts as the token's principal, its role is enforced by the master, and it reaches the chunkservers
 * with the master's per-chunk tickets only, never as the cluster.
 */
class TokenClientIT {
    private static final int SIZE = 300_000;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .replication(2)
            .chunkservers(2)
            .chunkSize(64 * 1024)
            .build();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<GranaryClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(GranaryClient::close);
        channels.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void aWriterTokenUploadsAndDownloadsWithoutTheSecretAndOwnsWhatItWrites() {
        NewToken writer = token("writer");
        GranaryClient client = tokenClient(writer.secret());

        FileMeta written = client.upload("tokens/w.bin", TestBytes.stream(1, SIZE), UploadOptions.defaults());

        assertThat(written.chunks()).hasSizeGreaterThan(1);
        assertThat(download(client, "tokens/w.bin")).isEqualTo(TestBytes.slice(1, 0, SIZE));
        assertThat(cluster.client().stat("tokens/w.bin").owner()).isEqualTo(writer.meta().id());
    }

    @Test
    void aWriterTokenMakesAFileFromPartsThatItOwns() {
        NewToken writer = token("writer");
        GranaryClient client = tokenClient(writer.secret());

        // the actor a token's client names is not looked at: it acts as its token
        MultipartUpload upload = client.startMultipart("tokens/parts.bin", UploadOptions.defaults());
        PartMeta one = client.uploadPart(upload.uploadId(), 1, TestBytes.stream(8, 100_000), "", Actor.SYSTEM);
        PartMeta two = client.uploadPart(upload.uploadId(), 2, TestBytes.stream(9, 50_000), "", Actor.SYSTEM);
        client.completeMultipart(upload.uploadId(), List.of(new PartRef(1, one.md5Hex()),
                new PartRef(2, two.md5Hex())), "", "", 0, Actor.SYSTEM);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(TestBytes.slice(8, 0, 100_000));
        expected.writeBytes(TestBytes.slice(9, 0, 50_000));
        assertThat(download(client, "tokens/parts.bin")).isEqualTo(expected.toByteArray());
        assertThat(cluster.client().stat("tokens/parts.bin").owner()).isEqualTo(writer.meta().id());
    }

    @Test
    void aTokenCannotActAsAnotherPrincipalNorAsTheCluster() {
        NewToken writer = token("writer");
        NewToken other = token("writer");
        GranaryClient client = tokenClient(writer.secret());

        client.upload("tokens/claimed.bin", TestBytes.stream(2, 1000),
                UploadOptions.defaults().withActor(new Actor(other.meta().id(), true)));
        cluster.client().upload("tokens/theirs.bin", TestBytes.stream(3, 1000),
                UploadOptions.defaults().withActor(new Actor(other.meta().id(), false)));

        assertThat(cluster.client().stat("tokens/claimed.bin").owner()).isEqualTo(writer.meta().id());
        assertThatThrownBy(() -> client.delete("tokens/theirs.bin")).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
        assertThat(cluster.client().stat("tokens/theirs.bin").owner()).isEqualTo(other.meta().id());
    }

    @Test
    void aReaderTokenReadsButCannotWrite() {
        cluster.client().upload("tokens/r.bin", TestBytes.stream(4, SIZE), UploadOptions.defaults());
        GranaryClient reader = tokenClient(token("reader").secret());

        assertThat(download(reader, "tokens/r.bin")).isEqualTo(TestBytes.slice(4, 0, SIZE));
        assertThatThrownBy(() -> reader.upload("tokens/by-reader.bin", TestBytes.stream(5, 1000),
                UploadOptions.defaults())).isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
                    assertThat(e).hasMessageContaining("needs the role writer").hasMessageContaining("has reader");
                });
        assertThatThrownBy(() -> cluster.client().stat("tokens/by-reader.bin"))
                .isInstanceOfSatisfying(GranaryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void anyTokenManagesItsOwnS3KeysAndOnlyAnAdminAnothersAsOverHttp() {
        NewToken reader = token("reader");
        NewToken other = token("writer");
        NewS3Key othersKey = cluster.client().s3Keys().create(other.meta().id(), null, null);
        GranaryClient client = tokenClient(reader.secret());

        NewS3Key own = client.s3Keys().create("", null, null);

        assertThat(own.meta().tokenId()).as("no token named: its own").isEqualTo(reader.meta().id());
        assertThat(client.s3Keys().list("")).extracting(S3KeyMeta::accessKeyId)
                .containsExactly(own.meta().accessKeyId());
        for (ThrowingCallable others : List.<ThrowingCallable>of(
                () -> client.s3Keys().create(other.meta().id(), null, null),
                () -> client.s3Keys().list(other.meta().id()),
                () -> client.s3Keys().revoke(othersKey.meta().accessKeyId(), other.meta().id()),
                () -> client.s3Keys().revoke(othersKey.meta().accessKeyId()))) {
            assertThatThrownBy(others).isInstanceOfSatisfying(GranaryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
        }
        assertThat(cluster.client().s3Keys().list(other.meta().id())).extracting(S3KeyMeta::accessKeyId)
                .containsExactly(othersKey.meta().accessKeyId());

        client.s3Keys().revoke(own.meta().accessKeyId());
        assertThat(cluster.client().s3Keys().list(reader.meta().id())).isEmpty();
        GranaryClient admin = tokenClient(token("admin").secret());
        admin.s3Keys().revoke(othersKey.meta().accessKeyId());
        assertThat(cluster.client().s3Keys().list(other.meta().id())).isEmpty();
    }

    @Test
    void anUnknownOrRevokedTokenIsUnauthenticated() {
        NewToken revoked = token("writer");
        cluster.client().revokeToken(revoked.meta().id());

        for (String token : List.of(revoked.secret(), "gr_" + "x".repeat(43))) {
            assertThatThrownBy(() -> tokenClient(token).stat("tokens")).isInstanceOfSatisfying(GranaryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED));
        }
    }

    @Test
    void noTokenCallsTheClustersOwnRpcsNotEvenAnAdmins() {
        ManagedChannel master = bearerChannel(cluster.masterAddress(), token("admin").secret());

        assertDenied(() -> MasterServiceGrpc.newBlockingStub(master).registerChunkServer(RegisterChunkServerRequest
                .newBuilder().setId("impostor").setAddress("127.0.0.1:1").setCapacityBytes(1L << 40).build()));
        assertDenied(() -> AuthServiceGrpc.newBlockingStub(master).resolveToken(
                ResolveTokenRequest.newBuilder().setTokenSha256("0".repeat(64)).build()));
    }

    @Test
    void chunkserversServeATokenCallerOnlyTheChunkAndChainItsTicketNames() {
        cluster.client().upload("tokens/t.bin", TestBytes.stream(6, SIZE), UploadOptions.defaults());
        String writer = token("writer").secret();
        ManagedChannel master = bearerChannel(cluster.masterAddress(), writer);
        FileInfo file = MasterServiceGrpc.newBlockingStub(master).getFile(GetFileRequest.newBuilder()
                .setPath("/tokens/t.bin").build());
        var first = file.getChunks(0);
        var second = file.getChunks(1);
        ManagedChannel chunkserver = plainChannel(first.getReplicas(0).getAddress());

        assertThat(first.getAccess()).isNotEmpty();
        assertThat(read(chunkserver, first.getHandle(), first.getAccess())).isEqualTo(TestBytes.slice(6, 0, 64 * 1024));
        assertThatThrownBy(() -> read(chunkserver, first.getHandle(), "")).isInstanceOfSatisfying(
                StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertDenied(() -> read(chunkserver, second.getHandle(), first.getAccess()));

        StartUploadResponse upload = MasterServiceGrpc.newBlockingStub(master).startUpload(StartUploadRequest
                .newBuilder().setPath("/tokens/planted.bin").build());
        AllocateChunkResponse chunk = MasterServiceGrpc.newBlockingStub(master).allocateChunk(AllocateChunkRequest
                .newBuilder().setUploadId(upload.getUploadId()).setIndex(0).build());
        ManagedChannel head = plainChannel(chunk.getChain(0).getAddress());
        List<ChunkLocation> elsewhere = List.of(ChunkLocation.newBuilder().setChunkserverId("x")
                .setAddress("127.0.0.1:1").build());

        assertDenied(() -> write(head, chunk.getHandle(), elsewhere, chunk.getAccess()));
        assertDenied(() -> write(head, chunk.getHandle() + 1, chunk.getChainList().subList(1, chunk.getChainCount()),
                chunk.getAccess()));
        assertThat(write(head, chunk.getHandle(), chunk.getChainList().subList(1, chunk.getChainCount()),
                chunk.getAccess()).getReplicasCount()).isEqualTo(chunk.getChainCount());
    }

    private NewToken token(String role) {
        return cluster.client().createToken("it-" + role, role, Duration.ofHours(1));
    }

    private GranaryClient tokenClient(String token) {
        GranaryClient client = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withToken(token).withFailoverPatience(Duration.ZERO));
        clients.add(client);
        return client;
    }

    private ManagedChannel plainChannel(String address) {
        ManagedChannel channel = ClusterSecurity.none().channelBuilder(address).build();
        channels.add(channel);
        return channel;
    }

    private ManagedChannel bearerChannel(String address, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        ManagedChannel channel = ClusterSecurity.none().channelBuilder(address)
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
        channels.add(channel);
        return channel;
    }

    private static void assertDenied(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    private static byte[] download(GranaryClient client, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.download(path, 0, -1, out);
        return out.toByteArray();
    }

    private static byte[] read(ManagedChannel channel, long handle, String access) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkServerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .readChunk(ReadChunkRequest.newBuilder().setHandle(handle).setAccess(access).build())
                .forEachRemaining(piece -> out.writeBytes(piece.getData().toByteArray()));
        return out.toByteArray();
    }

    private static WriteChunkResponse write(ManagedChannel channel, long handle, List<ChunkLocation> downstream,
                                            String access) {
        byte[] content = TestBytes.slice(7, 0, 10_000);
        FirstResponse<WriteChunkResponse> answer = new FirstResponse<>();
        StreamObserver<WriteChunkRequest> requests = ChunkServerServiceGrpc.newStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).writeChunk(answer);
        requests.onNext(WriteChunkRequest.newBuilder().setHeader(WriteHeader.newBuilder().setHandle(handle)
                .addAllDownstream(downstream).setAccess(access)).build());
        requests.onNext(WriteChunkRequest.newBuilder().setData(ByteString.copyFrom(content)).build());
        requests.onNext(WriteChunkRequest.newBuilder().setEnd(WriteEnd.newBuilder().setSizeBytes(content.length)).build());
        requests.onCompleted();
        return answer.await();
    }
}
