package io.granary.client;

import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.AuthServiceGrpc.AuthServiceBlockingStub;
import io.granary.proto.CreateTokenRequest;
import io.granary.proto.ListTokensRequest;
import io.granary.proto.ResolveTokenRequest;
import io.granary.proto.RevokeTokenRequest;
import io.granary.proto.TokenInfo;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Blocking calls to the master's {@code AuthService}, under the metadata deadline. Thread-safe. */
final class AuthCalls {
    private final AuthServiceBlockingStub stub;
    private final Duration deadline;

    AuthCalls(Channel channel, Duration deadline) {
        this.stub = AuthServiceGrpc.newBlockingStub(channel);
        this.deadline = deadline;
    }

    NewToken create(String name, String role, Duration expiresIn) {
        var answer = call(s -> s.createToken(CreateTokenRequest.newBuilder().setName(name).setRole(role)
                .setExpiresInSeconds(expiresIn.toSeconds()).build()));
        return new NewToken(toMeta(answer.getInfo()), answer.getToken());
    }

    List<TokenMeta> list() {
        return call(s -> s.listTokens(ListTokensRequest.getDefaultInstance())).getTokensList().stream()
                .map(AuthCalls::toMeta).toList();
    }

    void revoke(String id) {
        call(s -> s.revokeToken(RevokeTokenRequest.newBuilder().setId(id).build()));
    }

    Optional<TokenMeta> resolve(String tokenSha256) {
        var answer = call(s -> s.resolveToken(ResolveTokenRequest.newBuilder().setTokenSha256(tokenSha256).build()));
        return answer.getFound() ? Optional.of(toMeta(answer.getInfo())) : Optional.empty();
    }

    static TokenMeta toMeta(TokenInfo t) {
        return new TokenMeta(t.getId(), t.getName(), t.getRole(), Instant.ofEpochMilli(t.getCreatedMs()),
                t.getExpiresMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t.getExpiresMs())));
    }

    private <T> T call(Function<AuthServiceBlockingStub, T> rpc) {
        try {
            return rpc.apply(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.fromStatus(e);
        }
    }
}
