package io.granary.master.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.master.auth.S3Keys;
import io.granary.master.auth.Tokens;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.AuthServiceGrpc.AuthServiceBlockingStub;
import io.granary.proto.CreateS3KeyRequest;
import io.granary.proto.CreateS3KeyResponse;
import io.granary.proto.CreateTokenRequest;
import io.granary.proto.CreateTokenResponse;
import io.granary.proto.ListS3KeysRequest;
import io.granary.proto.ResolveS3KeyRequest;
import io.granary.proto.ResolveS3KeyResponse;
import io.granary.proto.RevokeS3KeyRequest;
import io.granary.proto.RevokeTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 key rpcs of {@link AuthGrpcService}, served in process over a real Redis: answers and statuses. */
class AuthGrpcServiceIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("authrpc");

    Server server;
    ManagedChannel channel;
    AuthServiceBlockingStub auth;
    String writerId;

    @BeforeEach
    void setUp() throws IOException {
        RedisMetadataStore store = redis.store();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new AuthGrpcService(new Tokens("test", store.tokens(), Clock.systemUTC()),
                        new S3Keys("test", store.s3Keys(), Clock.systemUTC())))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        auth = AuthServiceGrpc.newBlockingStub(channel);
        writerId = token("ci", "writer").getInfo().getId();
    }

    @AfterEach
    void tearDown() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void aCreatedKeyResolvesToItsSecretAndTheTokenItActsAs() {
        CreateS3KeyResponse created = auth.createS3Key(CreateS3KeyRequest.newBuilder().setTokenId(writerId).build());

        ResolveS3KeyResponse resolved = auth.resolveS3Key(ResolveS3KeyRequest.newBuilder()
                .setAccessKeyId(created.getInfo().getAccessKeyId()).build());

        assertThat(created.getInfo().getTokenId()).isEqualTo(writerId);
        assertThat(resolved.getFound()).isTrue();
        assertThat(resolved.getSecretKey()).isEqualTo(created.getSecretKey());
        assertThat(resolved.getToken().getId()).isEqualTo(writerId);
        assertThat(resolved.getToken().getRole()).isEqualTo("writer");
        assertThat(auth.listS3Keys(ListS3KeysRequest.newBuilder().setTokenId(writerId).build()).getKeysList())
                .containsExactly(created.getInfo())
                .allSatisfy(k -> assertThat(k.toString()).doesNotContain(created.getSecretKey()));
    }

    @Test
    void revokingTheTokenMakesItsKeyUnknownAtTheNextResolution() {
        String id = auth.createS3Key(CreateS3KeyRequest.newBuilder().setTokenId(writerId).build())
                .getInfo().getAccessKeyId();

        auth.revokeToken(RevokeTokenRequest.newBuilder().setId(writerId).build());

        ResolveS3KeyResponse resolved = auth.resolveS3Key(ResolveS3KeyRequest.newBuilder().setAccessKeyId(id).build());
        assertThat(resolved.getFound()).isFalse();
        assertThat(resolved.getSecretKey()).isEmpty();
        assertThat(resolved.hasToken()).isFalse();
    }

    @Test
    void everyRefusalHasItsOwnStatus() {
        String id = auth.createS3Key(CreateS3KeyRequest.newBuilder().setTokenId(writerId)
                .setAccessKeyId("CHOSENACCESSKEY1").setSecretKey("chosen-secret-0123456789").build())
                .getInfo().getAccessKeyId();
        String otherId = token("other", "writer").getInfo().getId();

        assertStatus(() -> auth.createS3Key(CreateS3KeyRequest.newBuilder().setTokenId(writerId)
                .setAccessKeyId("short").build()), Status.Code.INVALID_ARGUMENT);
        assertStatus(() -> auth.createS3Key(CreateS3KeyRequest.newBuilder().setTokenId("tok_0000000000000000")
                .build()), Status.Code.NOT_FOUND);
        assertStatus(() -> auth.createS3Key(CreateS3KeyRequest.newBuilder().setTokenId(otherId)
                .setAccessKeyId(id).setSecretKey("chosen-secret-0123456789").build()), Status.Code.ALREADY_EXISTS);
        assertStatus(() -> auth.revokeS3Key(RevokeS3KeyRequest.newBuilder().setAccessKeyId(id).setTokenId(otherId)
                .build()), Status.Code.PERMISSION_DENIED);
        assertStatus(() -> auth.revokeS3Key(RevokeS3KeyRequest.newBuilder().setAccessKeyId("UNKNOWNACCESSKEY")
                .build()), Status.Code.NOT_FOUND);
        assertThat(auth.resolveS3Key(ResolveS3KeyRequest.newBuilder().setAccessKeyId(id).build()).getFound())
                .as("refusals change nothing").isTrue();
    }

    private CreateTokenResponse token(String name, String role) {
        return auth.createToken(CreateTokenRequest.newBuilder().setName(name).setRole(role).build());
    }

    private static void assertStatus(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
